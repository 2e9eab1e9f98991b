import Foundation
import HookGateStorage
import HookGateTesting
import NIOCore
import Testing

@testable import HookGateCore

/// Erasure on real storage (DESIGN.md §13): what names the customer loses its data everywhere it is stored, what
/// does not is left exactly as it was.
@Suite("Erasure store")
struct ErasureStoreTests {
    /// A record of one event whose CloudEvent has `data`, its receipt body carrying the same text.
    func record(source: String, key: String, data: String, subject: String = "pi_1", destinations: [String]) -> IngestRecord {
        let at = Date().addingTimeInterval(-1)
        let id = Identifier.make(prefix: "evt_", now: at)
        let event = IngestRecord.Event(
            id: id, type: "payment.succeeded", subject: subject, time: at,
            payload: ByteBuffer(
                string:
                    #"{"specversion":"1.0","id":"\#(id)","source":"\#(source)","type":"payment.succeeded","subject":"\#(subject)","data":\#(data)}"#),
            deliveries: destinations.map { PlannedDelivery(destination: $0) })
        return IngestRecord(
            receiptID: Identifier.make(prefix: "rcp_", now: at), sourceID: source, dedupeKey: key, status: .normalized, receivedAt: at,
            headers: #"{"x-from":"\#(key)"}"#, body: ByteBuffer(string: #"{"raw":\#(data)}"#), events: [event])
    }

    /// Every stored text an event leaves: its CloudEvent, its receipt's body and headers, its attempts' snippets.
    func storedText(_ store: any EventStore, eventID: String) async throws -> String {
        var text = String(buffer: try #require(try await store.event(id: eventID)).payload)
        let receipt = try #require(try await store.receipt(eventID: eventID))
        text += String(buffer: receipt.body) + receipt.headers
        for delivery in try await store.deliveries(eventID: eventID) {
            for attempt in try #require(try await store.delivery(id: delivery.id)).attempts { text += attempt.responseSnippet ?? "" }
        }
        return text.lowercased()
    }

    @Test(
        "a customer's events lose data, bodies, headers and echoed snippets; pending deliveries are cancelled; others untouched",
        arguments: TestBackend.available)
    func erasesOneCustomer(backend: TestBackend) async throws {
        try await withTestStore(backend) { store in
            let source = uniqueSourceID("shopify")
            let email = "ana.\(UUID().uuidString.prefix(8).lowercased())@example.com"
            let (crm, billing) = ("target:crm-\(source)", "target:billing-\(source)")
            let byEmail = record(
                source: source, key: "a", data: #"{"customer":{"id":"cus_AB","email":"\#(email.uppercased())","phone":null}}"#,
                destinations: [crm, billing])
            let byPhone = record(
                source: source, key: "b", data: #"{"from":"whatsapp:+1 (415) 555-0123","to":"+14155550999","body":"hi"}"#, destinations: [crm])
            let other = record(source: source, key: "c", data: #"{"customer":{"id":"cus_ABC","email":"someone@example.com"}}"#, destinations: [crm])
            let request = record(
                source: source, key: "d", data: #"{"customer":{"id":"cus_AB","email":"\#(email)"}}"#, destinations: [crm])
            let elsewhere = record(source: uniqueSourceID("stripe"), key: "e", data: #"{"customer":{"email":"\#(email)"}}"#, destinations: [crm])
            // Receipts that made no event: one whose raw (form-encoded, not even UTF-8) body has the email, one without.
            func unparsed(_ key: String, _ text: String) -> IngestRecord {
                var body = ByteBuffer(string: text)
                body.writeBytes([0xFF, 0xFE])
                return IngestRecord(
                    receiptID: Identifier.make(prefix: "rcp_", now: Date()), sourceID: source, dedupeKey: key, status: .unparsed, receivedAt: Date(),
                    headers: #"{"x":"1"}"#, body: body, events: [])
            }
            let rawNaming = unparsed("u1", "email=\(email.uppercased().replacingOccurrences(of: "@", with: "%40"))&n=1")
            let rawOther = unparsed("u2", "email=someone%40example.com")
            _ = try await store.ingest([byEmail, byPhone, other, request, elsewhere, rawNaming, rawOther])
            // One delivery succeeded with the customer echoed in its answer; the others are pending.
            let now = Date()
            let leased = try await store.claimDeliveries(destination: billing, limit: 1, owner: "w", now: now, leaseUntil: now.addingTimeInterval(30))
            let echo = DeliveryAttempt(
                number: 1, startedAt: now, durationMilliseconds: 3, statusCode: 200, error: nil, responseSnippet: "ok \(email)")
            #expect(try await store.completeDelivery(id: try #require(leased.first).id, owner: "w", attempt: echo, decision: .succeeded, now: now))
            let before = try await store.event(id: other.events[0].id)?.payload

            let keys = try CustomerKeys(id: "cus_AB", email: email.uppercased(), phone: "+1 415 555 0123")
            let counts = try await Eraser(store: store, window: 2).run(.customer(keys), sources: [source], keeping: request.events[0].id) { _ in }

            #expect(counts.events == 2 && counts.receipts == 3 && counts.deliveriesCancelled == 2, "\(counts)")
            let rawErased = try #require(try await store.receipt(id: rawNaming.receiptID))
            #expect(rawErased.body.readableBytes == 0 && rawErased.headers == "{}", "an unparsed body naming the email, encoded, is erased")
            #expect(try await store.receipt(id: rawOther.receiptID)?.body == rawOther.body, "one that does not is left alone")
            #expect(counts.scanned == 4, "the four events of the source, two per window")
            for erased in [byEmail, byPhone] {
                let event = try #require(try await store.event(id: erased.events[0].id))
                let tape = try #require(JSONTape(parsing: event.payload))
                #expect(tape.root["data"]?["redacted"]?.bool == true && tape.root["id"]?.string == erased.events[0].id)
                #expect(tape.root["type"]?.string == "payment.succeeded" && tape.root["source"]?.string == source)
                let receipt = try #require(try await store.receipt(eventID: erased.events[0].id))
                #expect(receipt.body.readableBytes == 0 && receipt.headers == "{}")
                let text = try await storedText(store, eventID: erased.events[0].id)
                #expect(!text.contains(email) && !text.contains("555-0123") && !text.contains("cus_ab\""), "\(text)")
            }
            let statuses = try await store.deliveries(eventID: byEmail.events[0].id).map(\.status).sorted { $0.rawValue < $1.rawValue }
            #expect(statuses == [.cancelled, .succeeded], "the pending one cancelled, the delivered one kept as it was")
            #expect(try await store.event(id: other.events[0].id)?.payload == before, "cus_ABC contains the id's text but is not the customer")
            #expect(try await storedText(store, eventID: request.events[0].id).contains(email), "the privacy request itself is kept")
            #expect(try await storedText(store, eventID: elsewhere.events[0].id).contains(email), "another source is out of scope")
            #expect(try await store.deliveries(eventID: request.events[0].id).first?.status == .pending)
        }
    }

    @Test("everything a source holds (shop/redact), and the erasure's record with no customer values", arguments: TestBackend.available)
    func erasesASourceAndRecordsIt(backend: TestBackend) async throws {
        try await withTestStore(backend) { store in
            let source = uniqueSourceID("shopify")
            let records = (0..<3).map {
                record(source: source, key: "k\($0)", data: #"{"order":{"email":"o\#($0)@example.com"}}"#, destinations: ["target:x"])
            }
            _ = try await store.ingest(records)
            let now = Date()
            let id = Identifier.make(prefix: "era_", now: now)
            let total = try await store.countErasable(sources: [source])
            #expect(total == 3)
            let audit = AuditEntry(
                id: Identifier.make(prefix: "aud_", now: now), at: now, actor: "ops", action: "erasure.create", target: id, detail: "{}")
            try await store.startErasure(id: id, actor: "ops", scope: ErasureScope.everything.description, total: total, audit: audit, now: now)
            #expect(try await store.erasure(id: id)?.state == .running)

            let counts = try await Eraser(store: store).run(.everything, sources: [source], keeping: records[2].events[0].id) { progress in
                try await store.recordErasure(id: id, state: .running, counts: progress, error: nil, now: Date())
            }
            #expect(counts.events == 2 && counts.scanned == 3)
            try await store.recordErasure(id: id, state: .done, counts: counts, error: nil, now: Date())
            let recorded = try #require(try await store.erasure(id: id))
            #expect(recorded.state == .done && recorded.counts == counts && recorded.total == 3 && recorded.scope == "everything")
            #expect(try await store.erasures(limit: 50).contains { $0.id == id })
            #expect(try await storedText(store, eventID: records[0].events[0].id).contains("o0@") == false)
            #expect(try await storedText(store, eventID: records[2].events[0].id).contains("o2@"), "the request that started it is kept")

            // A process that stopped mid-erasure leaves it running with no progress since; a sweep marks it failed,
            // and leaves alone one whose progress is recent.
            let stuck = Identifier.make(prefix: "era_", now: Date())
            let started = now.addingTimeInterval(-120)
            try await store.startErasure(
                id: stuck, actor: "ops", scope: "customer email", total: 0, audit: audit.with(id: "aud_s\(stuck)"), now: started)
            let live = Identifier.make(prefix: "era_", now: Date())
            try await store.startErasure(id: live, actor: "ops", scope: "customer email", total: 0, audit: audit.with(id: "aud_l\(live)"), now: now)
            #expect(try await store.failInterruptedErasures(reason: "interrupted", staleBefore: now.addingTimeInterval(-60), now: now) >= 1)
            let failed = try #require(try await store.erasure(id: stuck))
            #expect(failed.state == .failed && failed.error == "interrupted")
            #expect(try await store.erasure(id: live)?.state == .running)
        }
    }
}

extension AuditEntry {
    fileprivate func with(id: String) -> AuditEntry {
        var copy = self
        copy.id = id
        return copy
    }
}
