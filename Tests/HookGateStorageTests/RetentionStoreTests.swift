import Foundation
import HookGateStorage
import HookGateTesting
import NIOCore
import Testing

@testable import HookGateCore

@Suite("Retention")
struct RetentionStoreTests {
    let now = Date()
    var old: Date { now.addingTimeInterval(-10 * 86_400) }
    /// Everything older than a day goes, bodies included.
    var cutoffs: RetentionCutoffs {
        RetentionCutoffs(
            .init(receiptBodies: .seconds(86_400), events: .seconds(86_400), audit: .seconds(86_400)), now: now)
    }

    /// Sets the outcome of a record's one delivery, as a worker would.
    func finish(_ store: any EventStore, _ record: IngestRecord, _ decision: DeliveryDecision, status: Int) async throws {
        let destination = try #require(record.events.first?.deliveries.first?.destination)
        let claimed = try #require(
            try await store.claimDeliveries(destination: destination, limit: 1, owner: "w", now: now, leaseUntil: now.addingTimeInterval(60)).first)
        let attempt = DeliveryAttempt(number: 1, startedAt: old, durationMilliseconds: 3, statusCode: status, error: nil, responseSnippet: nil)
        #expect(try await store.completeDelivery(id: claimed.id, owner: "w", attempt: attempt, decision: decision, now: now))
    }

    @Test("old finished events go with their receipts, deliveries and attempts; unfinished and recent ones stay", arguments: TestBackend.available)
    func events(backend: TestBackend) async throws {
        try await withTestStore(backend) { store in
            let source = uniqueSourceID()
            // One destination each, so each record's delivery is claimed on its own.
            let delivered = makeRecord(source: source, key: "delivered", at: old, destinations: ["target:a"])
            let dead = makeRecord(source: source, key: "dead", at: old, destinations: ["target:b"])
            let waiting = makeRecord(source: source, key: "waiting", at: old, destinations: ["target:c"])
            let recent = makeRecord(source: source, key: "recent", at: now, destinations: ["target:d"])
            var unparsed = makeRecord(source: source, key: "sha256:old", eventCount: 0, at: old)
            unparsed.status = .unparsed
            _ = try await store.ingest([delivered, dead, waiting, recent, unparsed])
            try await finish(store, delivered, .succeeded, status: 200)
            try await finish(store, dead, .dead, status: 503)
            // `waiting` failed once and is due again: it can still be attempted, so it is kept however old.
            try await finish(store, waiting, .retry(at: now.addingTimeInterval(60)), status: 503)

            let counted = try await store.countPrunable(cutoffs)
            #expect(counted.events == 2 && counted.deliveries == 2 && counted.attempts == 2 && counted.receipts == 3, "\(counted)")
            #expect(try await store.event(id: delivered.events[0].id) != nil, "a dry run removes nothing")
            #expect(counted.receiptBodies == 1, "only the kept old receipt's body is emptied; the others go whole")

            var removed = PruneCounts()
            for _ in 0..<5 { removed += try await store.prune(cutoffs, limit: 1).removed }
            #expect(removed.events == counted.events && removed.deliveries == counted.deliveries && removed.attempts == counted.attempts)
            #expect(removed.receipts == counted.receipts && removed.receiptBodies == counted.receiptBodies, "\(removed)")
            #expect(try await store.prune(cutoffs, limit: 100).removed.isEmpty, "nothing is left to remove")

            for gone in [delivered, dead] {
                #expect(try await store.event(id: gone.events[0].id) == nil)
                #expect(try await store.receipt(id: gone.receiptID) == nil)
                #expect(try await store.deliveries(eventID: gone.events[0].id).isEmpty)
            }
            #expect(try await store.receipt(id: unparsed.receiptID) == nil, "an old receipt that made no event goes too")
            #expect(try await store.deliveries(eventID: waiting.events[0].id).first?.status == .pending)
            #expect(try await store.event(id: waiting.events[0].id) != nil, "an event with a pending delivery is never pruned")
            #expect(try await store.event(id: recent.events[0].id) != nil)
            // Its receipt's body goes with the bodies' retention, the row stays.
            let kept = try #require(try await store.receipt(id: waiting.receiptID))
            #expect(kept.body.readableBytes == 0 && kept.headers == "{}")
            #expect(try await store.receipt(id: recent.receiptID)?.body == recent.body)
        }
    }

    @Test("old receipt bodies and headers are emptied once, the rows kept; forever keeps everything", arguments: TestBackend.available)
    func bodies(backend: TestBackend) async throws {
        try await withTestStore(backend) { store in
            let source = uniqueSourceID()
            let olds = (0..<5).map { makeRecord(source: source, key: "old\($0)", at: old.addingTimeInterval(Double($0))) }
            let recent = makeRecord(source: source, key: "recent", at: now)
            _ = try await store.ingest(olds + [recent])
            let bodiesOnly = RetentionCutoffs(receiptBodies: cutoffs.receiptBodies, events: nil, audit: nil)
            #expect(try await store.prune(RetentionCutoffs(.init(receiptBodies: nil, events: nil, audit: nil), now: now), limit: 10).removed.isEmpty)
            #expect(try await store.countPrunable(bodiesOnly).receiptBodies == 5)
            #expect(try await store.prune(bodiesOnly, limit: 2).removed.receiptBodies == 2)
            #expect(try await store.countPrunable(bodiesOnly).receiptBodies == 3, "the next pass starts after the rows done")
            #expect(try await store.prune(bodiesOnly, limit: 10).removed.receiptBodies == 3)
            #expect(try await store.prune(bodiesOnly, limit: 10).removed.receiptBodies == 0)
            for record in olds {
                let receipt = try #require(try await store.receipt(id: record.receiptID))
                #expect(receipt.body.readableBytes == 0 && receipt.headers == "{}" && receipt.dedupeKey == record.dedupeKey)
                #expect(try await store.event(id: record.events[0].id) != nil, "events keep their own retention")
            }
            #expect(try await store.receipt(id: recent.receiptID)?.body == recent.body)
            #expect(try await store.storageBytes() > 0)
        }
    }

    @Test("old audit entries go", arguments: TestBackend.available)
    func audit(backend: TestBackend) async throws {
        try await withTestStore(backend) { store in
            try await store.appendAudit(makeAudit("replay.create", id: Identifier.make(prefix: "aud_", now: old)))
            try await store.appendAudit(makeAudit("replay.cancel"))
            #expect(try await store.countPrunable(cutoffs).audit == 1)
            #expect(try await store.prune(cutoffs, limit: 10).removed.audit == 1)
            let left = try await store.auditLog(limit: 10, before: nil).items.map(\.action)
            #expect(left == ["replay.cancel"])
        }
    }

    @Test("a pass that removed a whole batch found a backlog, so the next starts at once", arguments: TestBackend.available)
    func backlog(backend: TestBackend) async throws {
        try await withTestStore(backend) { store in
            let pruner = Pruner(
                store: store, retention: .init(receiptBodies: nil, events: nil, audit: .seconds(86_400)), batch: 2, pause: .milliseconds(1))
            for _ in 0..<3 { try await store.appendAudit(makeAudit("replay.create", id: Identifier.make(prefix: "aud_", now: old))) }
            let busy = try await pruner.pass(now: now)
            #expect(busy.audit == 3 && pruner.foundBacklog(busy), "\(busy)")
            try await store.appendAudit(makeAudit("replay.cancel", id: Identifier.make(prefix: "aud_", now: old)))
            let quiet = try await pruner.pass(now: now)
            #expect(quiet.audit == 1 && !pruner.foundBacklog(quiet), "less than a batch: the next pass waits its interval")
        }
    }
}
