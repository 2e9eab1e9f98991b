import Foundation
import HookGateTesting
import Testing

@testable import HookGateCore
@testable import HookGateStorage

/// Bulk replays in storage, unchanged on every backend: matching, queueing behind live work, progress, cancel.
@Suite("Replay store conformance")
struct ReplayStoreTests {
    /// Leases everything due at `destination` and records each attempt as its last: the deliveries are dead.
    func kill(_ store: any EventStore, _ destination: String, now: Date) async throws {
        for claimed in try await store.claimDeliveries(
            destination: destination, limit: 100, owner: "w", now: now, leaseUntil: now.addingTimeInterval(40))
        {
            let attempt = DeliveryAttempt(
                number: claimed.attempts + 1, startedAt: now, durationMilliseconds: 3, statusCode: 503, error: nil, responseSnippet: nil)
            #expect(try await store.completeDelivery(id: claimed.id, owner: "w", attempt: attempt, decision: .dead, now: now))
        }
    }

    @Test("a dry count changes nothing; a replay queues what matched behind live work; progress and cancel", arguments: TestBackend.available)
    func bulkReplay(backend: TestBackend) async throws {
        try await withTestStore(backend) { store in
            let billing = "target:\(uniqueSourceID())"
            let crm = "target:\(uniqueSourceID())"
            let source = uniqueSourceID()
            let now = Date()
            let failed = (0..<4).map {
                makeRecord(
                    source: source, key: "d\($0)", type: $0 == 3 ? "payment.failed" : "payment.succeeded",
                    at: now.addingTimeInterval(Double($0) - 60), destinations: [billing])
            }
            _ = try await store.ingest(failed + [makeRecord(source: source, key: "crm", at: now.addingTimeInterval(-60), destinations: [crm])])
            try await kill(store, billing, now: now)
            try await kill(store, crm, now: now)

            #expect(try await store.countReplay(ReplayFilter(status: .dead, destinations: [billing])) == 4)
            #expect(try await store.countReplay(ReplayFilter(status: .dead, destinations: [billing], type: .exact("payment.failed"))) == 1)
            #expect(try await store.countReplay(ReplayFilter(status: .dead, destinations: [billing], type: .prefix("payment."))) == 4)
            #expect(try await store.countReplay(ReplayFilter(destinations: [billing, crm], source: source)) == 5)
            #expect(try await store.countReplay(ReplayFilter(destinations: [billing, crm], source: "elsewhere")) == 0)
            #expect(try await store.countReplay(ReplayFilter(status: .succeeded, destinations: [billing])) == 0)
            // The window is on when the deliveries were made.
            #expect(try await store.countReplay(ReplayFilter(status: .dead, destinations: [billing], since: now.addingTimeInterval(-60))) == 4)
            #expect(try await store.countReplay(ReplayFilter(status: .dead, destinations: [billing], until: now.addingTimeInterval(-60))) == 0)
            #expect(try await store.countReplay(ReplayFilter(status: .dead, destinations: [])) == 0)
            #expect(try await store.deliveries(DeliveryQuery(status: .dead, destination: billing)).items.count == 4, "counting changes nothing")

            let id = Identifier.make(prefix: "rpl_", now: now)
            let counts = try await store.createReplay(
                id: id, filter: ReplayFilter(status: .dead, destinations: [billing]), description: #"{"status":"dead"}"#, actor: "oncall", now: now
            ) { _ in
                makeAudit("replay.create", target: id)
            }
            #expect(counts.matched == 4 && counts.queued == 4)
            #expect(try await store.deliveries(DeliveryQuery(status: .pending, destination: billing)).items.count == 4)
            #expect(try await store.deliveries(DeliveryQuery(status: .dead, destination: crm)).items.count == 1, "other destinations untouched")

            // Live work that arrives later still goes first; replayed work only within the limit the pacer gives.
            let first = makeRecord(source: source, key: "first", at: now.addingTimeInterval(-2), destinations: [billing])
            let live = makeRecord(source: source, key: "live", at: now.addingTimeInterval(-1), destinations: [billing])
            _ = try await store.ingest([first, live])
            let later = now.addingTimeInterval(1)
            let full = try await store.claimDeliveries(
                destination: billing, limit: 1, replayLimit: 1, owner: "w", now: later, leaseUntil: later.addingTimeInterval(40))
            #expect(full.map(\.eventID) == [first.events[0].id], "live work that fills the limit leaves no room for replayed work")
            let leased = try await store.claimDeliveries(
                destination: billing, limit: 3, replayLimit: 1, owner: "w", now: later, leaseUntil: later.addingTimeInterval(40))
            #expect(leased.map(\.replayed) == [false, true])
            #expect(leased.first?.eventID == live.events[0].id)
            let replayed = try #require(leased.last)
            #expect(replayed.attempts == 1 && replayed.seriesStart == 1, "a new attempt series; the history is kept")
            #expect(
                try await store.claimDeliveries(destination: billing, limit: 3, replayLimit: 0, owner: "w", now: later, leaseUntil: later).isEmpty)

            var progress = try #require(try await store.replayProgress(id: id))
            #expect(progress.matched == 4 && progress.queued == 4 && progress.succeeded == 0 && progress.failed == 0)
            #expect(progress.state == "running" && progress.actor == "oncall" && progress.filter == #"{"status":"dead"}"#)
            let attempt = DeliveryAttempt(number: 2, startedAt: later, durationMilliseconds: 3, statusCode: 200, error: nil, responseSnippet: nil)
            #expect(try await store.completeDelivery(id: replayed.id, owner: "w", attempt: attempt, decision: .succeeded, now: later))

            #expect(try await store.cancelReplay(id: id, now: later) { _ in makeAudit("replay.cancel") } == 3)
            progress = try #require(try await store.replayProgress(id: id))
            #expect(progress.queued == 0 && progress.succeeded == 1 && progress.cancelled == 3 && progress.state == "cancelled")
            #expect(try await store.deliveries(DeliveryQuery(status: .dead, destination: billing)).items.count == 3, "put back as they were")
            #expect(try await store.cancelReplay(id: id, now: later) { _ in makeAudit("replay.cancel") } == 0, "cancelling twice is harmless")
            #expect(try await store.cancelReplay(id: "rpl_missing", now: later) { _ in makeAudit("replay.cancel") } == nil)
            #expect(try await store.replayProgress(id: "rpl_missing") == nil)
        }
    }

    @Test("a replay larger than one chunk queues every delivery it matched, and none that matched later", arguments: TestBackend.available)
    func chunkedReplay(backend: TestBackend) async throws {
        try await withTestStore(backend) { store in
            let billing = "target:\(uniqueSourceID())"
            let source = uniqueSourceID()
            let now = Date()
            let total = 2 * ReplayFilter.chunk + 7
            _ = try await store.ingest(
                (0..<total).map { makeRecord(source: source, key: "d\($0)", at: now.addingTimeInterval(-60), destinations: [billing]) })
            while true {
                let claimed = try await store.claimDeliveries(
                    destination: billing, limit: 500, owner: "w", now: now, leaseUntil: now.addingTimeInterval(40))
                guard !claimed.isEmpty else { break }
                let attempt = DeliveryAttempt(number: 1, startedAt: now, durationMilliseconds: 3, statusCode: 503, error: nil, responseSnippet: nil)
                _ = try await store.completeDeliveries(
                    claimed.map { DeliveryCompletion(deliveryID: $0.id, attempt: attempt, decision: .dead) }, owner: "w", now: now)
            }
            let id = Identifier.make(prefix: "rpl_", now: now)
            let counts = try await store.createReplay(
                id: id, filter: ReplayFilter(status: .dead, destinations: [billing]), description: "{}", actor: "oncall", now: now
            ) { matched in
                makeAudit("replay.create", target: "\(matched)")
            }
            #expect(counts.matched == total && counts.queued == total)
            #expect(try await store.replayProgress(id: id)?.queued == total)
            #expect(try await store.countReplay(ReplayFilter(status: .dead, destinations: [billing])) == 0)
            #expect(try await store.auditLog(limit: 1, before: nil).items.first?.target == "\(total)", "the audit entry has the count matched")
        }
    }
}
