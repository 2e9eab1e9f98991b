import Foundation
import HookGateCore
import HookGateStorage
import HookGateTesting
import Testing

/// An admin write and the audit entry that records it commit together: when the entry cannot be written (here, an
/// id already taken), the write does not happen.
@Suite("Audit entries commit with their change")
struct AuditAtomicityTests {
    @Test("every audited write rolls back when its audit entry fails", arguments: TestBackend.available)
    func rollback(backend: TestBackend) async throws {
        try await withTestStore(backend) { store in
            let taken = Identifier.make(prefix: "aud_", now: Date())
            try await store.appendAudit(makeAudit("seed", id: taken))
            let duplicate = makeAudit("duplicate", id: taken)
            let now = Date()
            // Whole seconds, so that the stored subscription compares equal.
            let created = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))

            let id = "sub_" + uniqueSourceID()
            let subscription = StoredSubscription(
                id: id, url: "https://hooks.example.com/in", types: ["payment.*"], sources: nil, description: nil, secret: "whsec_a",
                createdAt: created, updatedAt: created
            )
            await #expect(throws: (any Error).self) { try await store.createSubscription(subscription, audit: duplicate) }
            #expect(try await store.subscriptions().contains { $0.id == id } == false, "no subscription without its audit entry")
            try await store.createSubscription(subscription, audit: makeAudit("subscription.create", target: id))

            var changed = subscription
            changed.url = "https://elsewhere.example.com/in"
            await #expect(throws: (any Error).self) { try await store.updateSubscription(changed, audit: duplicate) }
            await #expect(throws: (any Error).self) {
                try await store.rotateSubscriptionSecret(id: id, secret: "whsec_b", overlapUntil: now, now: now, audit: duplicate)
            }
            await #expect(throws: (any Error).self) { try await store.deleteSubscription(id: id, now: now, audit: duplicate) }
            #expect(try await store.subscriptions().first { $0.id == id } == subscription, "neither updated, rotated nor deleted")
            #expect(try await store.updateSubscription(changed, audit: makeAudit("subscription.update")) == true)

            let destination = "target:\(uniqueSourceID())"
            let record = makeRecord(source: uniqueSourceID(), key: "k", at: now.addingTimeInterval(-5), destinations: [destination])
            _ = try await store.ingest([record])
            let claimed = try #require(
                try await store.claimDeliveries(destination: destination, limit: 1, owner: "w", now: now, leaseUntil: now.addingTimeInterval(40))
                    .first)
            let attempt = DeliveryAttempt(number: 1, startedAt: now, durationMilliseconds: 1, statusCode: 500, error: nil, responseSnippet: nil)
            #expect(try await store.completeDelivery(id: claimed.id, owner: "w", attempt: attempt, decision: .dead, now: now))

            await #expect(throws: (any Error).self) { try await store.replayDelivery(id: claimed.id, now: now, audit: duplicate) }
            await #expect(throws: (any Error).self) {
                try await store.redeliver(
                    eventID: record.events[0].id, deliveries: [PlannedDelivery(destination: destination)], now: now, audit: duplicate)
            }
            let replayID = Identifier.make(prefix: "rpl_", now: now)
            let filter = ReplayFilter(status: .dead, destinations: [destination])
            await #expect(throws: (any Error).self) {
                try await store.createReplay(id: replayID, filter: filter, description: "{}", actor: "oncall", now: now) { _ in duplicate }
            }
            #expect(try await store.replayProgress(id: replayID) == nil, "no replay without its audit entry")
            #expect(try await store.delivery(id: claimed.id)?.summary.status == .dead, "neither replayed nor redelivered")

            _ = try await store.createReplay(id: replayID, filter: filter, description: "{}", actor: "oncall", now: now) { _ in
                makeAudit("replay.create")
            }
            await #expect(throws: (any Error).self) { try await store.cancelReplay(id: replayID, now: now) { _ in duplicate } }
            #expect(try await store.delivery(id: claimed.id)?.summary.status == .pending, "the cancel did not happen")
            let actions = try await store.auditLog(limit: 10, before: nil).items.map(\.action)
            #expect(actions.filter { $0 == "duplicate" }.isEmpty && actions.filter { $0 == "seed" }.count == 1)
        }
    }
}
