import Foundation
import HookGateStorage
import HookGateTesting
import Logging
import NIOCore
import Testing

@testable import HookGateCore

/// One suite, run unchanged against every backend: the storage contract of DESIGN.md §2–3.
@Suite("Store conformance")
struct StoreConformanceTests {
    @Test("CI always has PostgreSQL", .enabled(if: TestBackend.isCI))
    func postgresIsConfiguredInCI() {
        #expect(TestBackend.postgresURL != nil, "CI must set HOOKGATE_TEST_POSTGRES_URL so the PostgreSQL backend is tested")
    }

    @Test("a new record stores its receipt, events and deliveries", arguments: TestBackend.available)
    func storesReceiptEventsAndDeliveries(backend: TestBackend) async throws {
        try await withTestStore(backend) { store in
            let source = uniqueSourceID()
            let record = makeRecord(source: source, key: "evt_1", eventCount: 2, destinations: ["target:billing", "target:audit"])
            let outcomes = try await store.ingest([record])
            #expect(outcomes == [.stored(eventIDs: record.events.map(\.id))])

            let event = try #require(try await store.event(id: record.events[0].id))
            #expect(event.sourceID == source)
            #expect(event.type == record.events[0].type)
            #expect(event.payload == record.events[0].payload)
            let deliveries = try await store.deliveries(eventID: record.events[0].id)
            #expect(deliveries.map(\.destination) == ["target:audit", "target:billing"])
            #expect(deliveries.allSatisfy { $0.status == .pending && $0.attempts == 0 && $0.nextAttemptAt != nil })

            let receipt = try #require(try await store.receipt(eventID: record.events[1].id))
            #expect(receipt.id == record.receiptID)
            #expect(receipt.body == record.body)
            #expect(receipt.headers == record.headers)
            #expect(receipt.status == .normalized)
            #expect(receipt.eventIDs == record.events.map(\.id))
            #expect(abs(receipt.receivedAt.timeIntervalSince(record.receivedAt)) < 0.001)
        }
    }

    @Test("a duplicate writes nothing and returns the original ids", arguments: TestBackend.available)
    func duplicateReturnsOriginalIDs(backend: TestBackend) async throws {
        try await withTestStore(backend) { store in
            let source = uniqueSourceID()
            let first = makeRecord(source: source, key: "evt_dup")
            let second = makeRecord(source: source, key: "evt_dup")
            _ = try await store.ingest([first])
            let outcomes = try await store.ingest([second])
            #expect(outcomes == [.duplicate(eventIDs: first.events.map(\.id))])
            #expect(try await store.event(id: second.events[0].id) == nil)
            let page = try await store.events(EventQuery(source: source, limit: 10))
            #expect(page.items.map(\.id) == first.events.map(\.id))
        }
    }

    @Test("the same dedupe key in another source is not a duplicate", arguments: TestBackend.available)
    func dedupeIsPerSource(backend: TestBackend) async throws {
        try await withTestStore(backend) { store in
            let outcomes = try await store.ingest([
                makeRecord(source: uniqueSourceID(), key: "shared"), makeRecord(source: uniqueSourceID(), key: "shared"),
            ])
            #expect(outcomes.allSatisfy { if case .stored = $0 { true } else { false } })
        }
    }

    /// 300 records fit one statement on either backend; 1,200 with two deliveries each do not (more than 500
    /// records, more than 30,000 bound values), so the batch takes the multi-statement transaction instead.
    @Test("one batch holds many records, new and duplicate mixed", arguments: TestBackend.available, [300, 1_200])
    func batchMixesNewAndDuplicate(backend: TestBackend, size: Int) async throws {
        try await withTestStore(backend) { store in
            let source = uniqueSourceID()
            let destinations = ["target:a", "target:b"]
            let existing = makeRecord(source: source, key: "k0", destinations: destinations)
            _ = try await store.ingest([existing])
            let batch = (0..<size).map { makeRecord(source: source, key: "k\($0)", destinations: destinations) }
            let outcomes = try await store.ingest(batch)
            #expect(outcomes[0] == .duplicate(eventIDs: existing.events.map(\.id)))
            for (record, outcome) in zip(batch, outcomes).dropFirst() {
                #expect(outcome == .stored(eventIDs: record.events.map(\.id)))
            }
            #expect(try await store.deliveries(eventID: batch[0].events[0].id).isEmpty, "a duplicate's event, and so its deliveries, are not stored")
            #expect(try await store.deliveries(eventID: batch[size - 1].events[0].id).map(\.destination) == destinations)
            var seen = 0
            var cursor: String?
            repeat {
                let page = try await store.events(EventQuery(source: source, limit: 128, after: cursor))
                seen += page.items.count
                cursor = page.nextCursor
            } while cursor != nil
            #expect(seen == size)
        }
    }

    @Test("an unparsed receipt with no events is stored and listed by status", arguments: TestBackend.available)
    func unparsedReceiptsAreListed(backend: TestBackend) async throws {
        try await withTestStore(backend) { store in
            let source = uniqueSourceID()
            var record = makeRecord(source: source, key: "sha256:abc", eventCount: 0)
            record.status = .unparsed
            #expect(try await store.ingest([record]) == [.stored(eventIDs: [])])
            #expect(try await store.ingest([record]) == [.duplicate(eventIDs: [])])
            let page = try await store.receipts(ReceiptQuery(status: .unparsed, source: source))
            #expect(page.items.map(\.id) == [record.receiptID])
            #expect(page.items.first?.body == record.body)
            #expect(try await store.receipts(ReceiptQuery(status: .unrecognized, source: source)).items.isEmpty)
            let listed = try #require(try await store.receipts(ReceiptQuery(status: .unparsed, source: source, includeBodies: false)).items.first)
            #expect(listed.body.readableBytes == 0 && listed.bodyBytes == record.body.readableBytes, "a listing reads sizes, not bodies")
            #expect(try await store.receipt(id: record.receiptID)?.body == record.body)
            #expect(try await store.receipt(id: "rcp_missing") == nil)
        }
    }

    @Test("events list filters by type pattern and time, newest first, with a stable cursor", arguments: TestBackend.available)
    func eventListFilters(backend: TestBackend) async throws {
        try await withTestStore(backend) { store in
            let source = uniqueSourceID()
            let base = Date(timeIntervalSince1970: 1_800_000_000)
            let types = ["payment.succeeded", "payment.failed", "payment_x.other", "customer.created"]
            var records: [IngestRecord] = []
            for (index, type) in types.enumerated() {
                records.append(makeRecord(source: source, key: "t\(index)", type: type, at: base.addingTimeInterval(Double(index) * 60)))
            }
            _ = try await store.ingest(records)
            let payments = try await store.events(EventQuery(source: source, type: TypePattern("payment.*"), limit: 10))
            #expect(payments.items.map(\.type) == ["payment.failed", "payment.succeeded"])
            let exact = try await store.events(EventQuery(source: source, type: TypePattern("customer.created"), limit: 10))
            #expect(exact.items.count == 1)
            let window = try await store.events(
                EventQuery(
                    source: source, since: base.addingTimeInterval(30), until: base.addingTimeInterval(150), limit: 10
                ))
            #expect(window.items.map(\.type) == ["payment_x.other", "payment.failed"])

            let firstPage = try await store.events(EventQuery(source: source, limit: 2))
            #expect(firstPage.items.count == 2)
            let cursor = try #require(firstPage.nextCursor)
            // A newer event arriving between pages must neither repeat nor shift the next page.
            _ = try await store.ingest([makeRecord(source: source, key: "late", at: base.addingTimeInterval(600))])
            let secondPage = try await store.events(EventQuery(source: source, limit: 2, after: cursor))
            #expect(secondPage.items.map(\.type) == ["payment.failed", "payment.succeeded"])
            #expect(secondPage.nextCursor == nil)
        }
    }

    @Test("an event search finds by event id, subject and provider event id, in the named sources only", arguments: TestBackend.available)
    func eventSearch(backend: TestBackend) async throws {
        try await withTestStore(backend) { store in
            let source = uniqueSourceID()
            let other = uniqueSourceID()
            let unique = uniqueSourceID()
            let first = makeRecord(source: source, key: "evt_\(unique)_1", subject: "pi_\(unique)_")
            let second = makeRecord(source: source, key: "evt_\(unique)_2", type: "customer.created", subject: "cus_\(unique)_")
            let elsewhere = makeRecord(source: other, key: "evt_\(unique)_1", subject: "pi_\(unique)_")
            _ = try await store.ingest([first, second, elsewhere])
            func found(_ text: String, in sources: [String] = [source], type: String? = nil) async throws -> [String] {
                let query = EventQuery(type: type.flatMap(TypePattern.init), search: EventQuery.Search(text, sources: sources))
                return try await store.events(query).items.map(\.id)
            }
            #expect(try await found(second.events[0].id) == second.events.map(\.id), "by HookGate event id")
            // Two ids made in the same millisecond need not sort in the order they were made.
            let both = Set([elsewhere.events[0].id, first.events[0].id])
            #expect(Set(try await found("pi_\(unique)_0")) == both, "by subject, in any source")
            #expect(try await found("evt_\(unique)_1") == first.events.map(\.id), "by provider event id, in the named source")
            #expect(Set(try await found("evt_\(unique)_1", in: [source, other])) == both)
            #expect(try await found("evt_\(unique)_1", in: []) == [], "no source named: no provider event id lookup")
            #expect(try await found("pi_\(unique)_0", type: "customer.*") == [], "a search narrows the other filters, never widens them")
            #expect(try await found("nothing_\(unique)") == [])
        }
    }

    @Test("migrations are idempotent", arguments: TestBackend.available)
    func migrateTwice(backend: TestBackend) async throws {
        try await withTestStore(backend) { store in
            #expect(try await store.migrate(logger: .init(label: "test")) == [])
            try await store.ping()
        }
    }
}

/// An audit entry as the admin API makes them; `id` repeats one to make the audit write fail.
func makeAudit(_ action: String, target: String = "-", id: String = Identifier.make(prefix: "aud_", now: Date())) -> AuditEntry {
    AuditEntry(id: id, at: Date(), actor: "oncall", action: action, target: target, detail: "{}")
}

/// A record shaped like the ingest path builds them, with ids made now so they sort by `at`.
func makeRecord(
    source: String, key: String, eventCount: Int = 1, type: String = "payment.succeeded", at: Date = Date(),
    destinations: [String] = ["target:billing"], subject: String = "pi_"
) -> IngestRecord {
    let events = (0..<eventCount).map { index in
        let id = Identifier.make(prefix: "evt_", now: at)
        return IngestRecord.Event(
            id: id, type: type, subject: "\(subject)\(index)", time: at,
            payload: ByteBuffer(string: #"{"specversion":"1.0","id":"\#(id)","type":"\#(type)"}"#),
            deliveries: destinations.map { PlannedDelivery(destination: $0) }
        )
    }
    var body = ByteBuffer(string: #"{"id":"\#(key)","object":"event"}"#)
    body.writeBytes([0x00, 0xFF, 0xFE])  // bodies are bytes, not text
    return IngestRecord(
        receiptID: Identifier.make(prefix: "rcp_", now: at), sourceID: source, dedupeKey: key, status: .normalized,
        receivedAt: at, headers: #"{"stripe-signature":"t=1,v1=00"}"#, body: body, events: events
    )
}
