import Foundation
import HookGateStorage
import HookGateTesting
import NIOCore
import Testing

@testable import HookGateCore

/// The delivery half of the storage contract, unchanged on every backend: leases, attempts, expiry, subscriptions.
@Suite("Delivery store conformance")
struct DeliveryStoreTests {
    @Test("due deliveries are leased once, oldest first, at most the limit, with their CloudEvent", arguments: TestBackend.available)
    func claims(backend: TestBackend) async throws {
        try await withTestStore(backend) { store in
            let destination = "target:\(uniqueSourceID())"
            let now = Date()
            let records = (0..<5).map {
                makeRecord(source: uniqueSourceID(), key: "k\($0)", at: now.addingTimeInterval(Double($0) - 10), destinations: [destination])
            }
            _ = try await store.ingest(records)
            let later = makeRecord(source: uniqueSourceID(), key: "later", at: now.addingTimeInterval(60), destinations: [destination])
            _ = try await store.ingest([later])

            let first = try await store.claimDeliveries(
                destination: destination, limit: 3, owner: "a", now: now, leaseUntil: now.addingTimeInterval(40))
            #expect(first.map(\.eventID) == records.prefix(3).map { $0.events[0].id })
            #expect(first.allSatisfy { $0.attempts == 0 && $0.destination == destination })
            #expect(first.first?.payload == records[0].events[0].payload)
            let second = try await store.claimDeliveries(
                destination: destination, limit: 10, owner: "b", now: now, leaseUntil: now.addingTimeInterval(40))
            #expect(second.map(\.eventID) == records.suffix(2).map { $0.events[0].id }, "leased rows are not handed out twice; future ones wait")
            #expect(try await store.claimDeliveries(destination: destination, limit: 10, owner: "c", now: now, leaseUntil: now).isEmpty)
            #expect(try await store.deliveries(eventID: records[0].events[0].id).first?.status == .inFlight)
            let nextDue = try #require(try await store.nextDue(destination: destination), "the later one is pending")
            #expect(abs(nextDue.timeIntervalSince(now.addingTimeInterval(60))) < 0.001, "when the earliest pending delivery is due")
            #expect(try await store.nextDue(destination: "target:\(uniqueSourceID())") == nil, "nothing pending")
        }
    }

    @Test("an attempt is recorded and moves the delivery on; a lost lease cannot overwrite the new owner", arguments: TestBackend.available)
    func completion(backend: TestBackend) async throws {
        try await withTestStore(backend) { store in
            let destination = "target:\(uniqueSourceID())"
            let now = Date()
            let record = makeRecord(source: uniqueSourceID(), key: "k", at: now.addingTimeInterval(-1), destinations: [destination])
            _ = try await store.ingest([record])
            let claimed = try #require(
                try await store.claimDeliveries(destination: destination, limit: 1, owner: "a", now: now, leaseUntil: now.addingTimeInterval(40))
                    .first)
            let retryAt = now.addingTimeInterval(300)
            let attempt = DeliveryAttempt(number: 1, startedAt: now, durationMilliseconds: 12, statusCode: 503, error: nil, responseSnippet: "busy")
            #expect(try await store.completeDelivery(id: claimed.id, owner: "a", attempt: attempt, decision: .retry(at: retryAt), now: now))
            let summary = try #require(try await store.deliveries(eventID: record.events[0].id).first)
            #expect(summary.status == .pending && summary.attempts == 1 && summary.lastStatus == 503)
            #expect(abs(summary.nextAttemptAt!.timeIntervalSince(retryAt)) < 0.001)
            let stored = try #require(try await store.delivery(id: claimed.id)).attempts
            #expect(stored.count == 1)
            #expect(stored.first?.statusCode == 503 && stored.first?.responseSnippet == "busy" && stored.first?.durationMilliseconds == 12)

            // Not due yet; then due, leased by b; a's late completion changes nothing.
            #expect(try await store.claimDeliveries(destination: destination, limit: 1, owner: "b", now: now, leaseUntil: now).isEmpty)
            let again = try #require(
                try await store.claimDeliveries(
                    destination: destination, limit: 1, owner: "b", now: retryAt, leaseUntil: retryAt.addingTimeInterval(40)
                ).first)
            #expect(again.attempts == 1)
            let late = DeliveryAttempt(number: 2, startedAt: retryAt, durationMilliseconds: 5, statusCode: 200, error: nil, responseSnippet: nil)
            #expect(try await store.completeDelivery(id: again.id, owner: "a", attempt: late, decision: .succeeded, now: retryAt) == false)
            #expect(try await store.deliveries(eventID: record.events[0].id).first?.status == .inFlight)
            #expect(try await store.completeDelivery(id: again.id, owner: "b", attempt: late, decision: .succeeded, now: retryAt))
            let done = try #require(try await store.deliveries(eventID: record.events[0].id).first)
            #expect(done.status == .succeeded && done.attempts == 2 && done.lastStatus == 200)
            let detail = try #require(try await store.delivery(id: claimed.id))
            #expect(detail.summary == done && detail.attempts.map(\.number) == [1, 2])
            #expect(try await store.delivery(id: "dlv_none") == nil)
            // The destination's last failure is the first attempt, its last success the second.
            let health = try #require(try await store.lastAttempts()[destination])
            #expect(health.failure.map { abs($0.timeIntervalSince(now)) < 0.001 } == true, "\(health)")
            #expect(health.success.map { abs($0.timeIntervalSince(retryAt)) < 0.001 } == true, "\(health)")
        }
    }

    @Test("a lease that expires (its instance died) puts the delivery back for another instance", arguments: TestBackend.available)
    func expiry(backend: TestBackend) async throws {
        try await withTestStore(backend) { store in
            let destination = "target:\(uniqueSourceID())"
            // An hour ahead, so no other test's worker (they all release leases expired by the real clock) sees this
            // lease as expired, and released for this destination only, so no other test's lease is touched.
            let then = Date().addingTimeInterval(3_600)
            let record = makeRecord(source: uniqueSourceID(), key: "k", at: then.addingTimeInterval(-1), destinations: [destination])
            _ = try await store.ingest([record])
            _ = try await store.claimDeliveries(
                destination: destination, limit: 1, owner: "crashed", now: then, leaseUntil: then.addingTimeInterval(40))
            #expect(try await store.releaseExpiredLeases(now: then.addingTimeInterval(39), destination: destination) == 0)
            #expect(try await store.deliveries(eventID: record.events[0].id).first?.status == .inFlight, "the lease still holds")
            #expect(try await store.releaseExpiredLeases(now: then.addingTimeInterval(41), destination: destination) == 1)
            #expect(try await store.deliveries(eventID: record.events[0].id).first?.status == .pending)
            let taken = try await store.claimDeliveries(
                destination: destination, limit: 1, owner: "survivor", now: then.addingTimeInterval(41), leaseUntil: then.addingTimeInterval(90))
            #expect(taken.map(\.eventID) == [record.events[0].id])
        }
    }

    @Test("dead and cancelled are final; backlog counts pending, due, in flight and dead per destination", arguments: TestBackend.available)
    func backlog(backend: TestBackend) async throws {
        try await withTestStore(backend) { store in
            let destination = "target:\(uniqueSourceID())"
            let now = Date()
            let records = (0..<4).map {
                makeRecord(source: uniqueSourceID(), key: "k\($0)", at: now.addingTimeInterval(-5), destinations: [destination])
            }
            _ = try await store.ingest(
                records + [makeRecord(source: uniqueSourceID(), key: "future", at: now.addingTimeInterval(600), destinations: [destination])])
            let claimed = try await store.claimDeliveries(
                destination: destination, limit: 2, owner: "a", now: now, leaseUntil: now.addingTimeInterval(40))
            let failed = DeliveryAttempt(number: 1, startedAt: now, durationMilliseconds: 1, statusCode: 500, error: nil, responseSnippet: nil)
            _ = try await store.completeDelivery(id: claimed[0].id, owner: "a", attempt: failed, decision: .dead, now: now)
            let backlog = try #require(try await store.backlog(now: now)[destination])
            #expect(backlog.pending == 3)
            #expect(backlog.due == 2)
            #expect(backlog.inFlight == 1)
            #expect(backlog.dead == 1)
            #expect(backlog.oldestPending.map { abs($0.timeIntervalSince(now.addingTimeInterval(-5))) < 0.001 } == true)
            #expect(
                try await store.claimDeliveries(destination: destination, limit: 10, owner: "b", now: now.addingTimeInterval(3_600), leaseUntil: now)
                    .count == 3)
        }
    }

    @Test("subscriptions are stored, listed and disabled", arguments: TestBackend.available)
    func subscriptions(backend: TestBackend) async throws {
        try await withTestStore(backend) { store in
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let id = "sub_" + uniqueSourceID()
            let subscription = StoredSubscription(
                id: id, url: "https://hooks.example.com/in", types: ["payment.*", "order.paid"], sources: ["stripe"], description: "billing",
                secret: "whsec_abc", previousSecret: "whsec_old", previousSecretExpiresAt: now.addingTimeInterval(86_400), createdAt: now,
                updatedAt: now
            )
            try await store.createSubscription(subscription, audit: makeAudit("subscription.create", target: id))
            let listed = try #require(try await store.subscriptions().first { $0.id == id })
            #expect(listed == subscription)
            try await store.disableSubscription(id: id, reason: "410 Gone", now: now.addingTimeInterval(5))
            #expect(try await store.clearExpiredPreviousSecrets(now: now.addingTimeInterval(86_399)) == 0, "still within its overlap")
            #expect(try await store.clearExpiredPreviousSecrets(now: now.addingTimeInterval(86_400)) >= 1)
            let cleared = try #require(try await store.subscriptions().first { $0.id == id })
            #expect(cleared.previousSecret == nil && cleared.previousSecretExpiresAt == nil && cleared.secret == "whsec_abc")
            let disabled = try #require(try await store.subscriptions().first { $0.id == id })
            #expect(disabled.status == .disabled && disabled.disabledReason == "410 Gone")
            #expect(disabled.destination == "subscription:\(id)")
        }
    }
}
