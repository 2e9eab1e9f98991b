import Foundation
import HookGateCore
import HookGateServer
import HookGateStorage
import HookGateTesting
import NIOCore
import Testing

/// `hookgate renormalize`: stored receipts mapped again by today's code, idempotently, on every backend.
@Suite("Renormalize")
struct RenormalizeTests {
    func configuration() throws -> HookGateConfiguration {
        try ConfigurationLoader.parse(
            yaml: """
                \(sharedYAML(storageURL: "sqlite://unused.sqlite"))
                sources:
                  - { id: stripe, provider: stripe, secrets: ["whsec_unused"] }
                targets:
                  - { id: billing, url: "http://127.0.0.1:9/events" }
                routes:
                  - { name: payments, match: { types: ["payment.*"] }, targets: [billing] }
                """, environment: [:])
    }

    /// A receipt as an older version stored it: `status`, and `events` as they were mapped then.
    func receipt(source: String = "stripe", body: String, status: Normalization.Status, events: [IngestRecord.Event] = []) -> IngestRecord {
        let now = Date()
        return IngestRecord(
            receiptID: Identifier.make(prefix: "rcp_", now: now), sourceID: source, dedupeKey: UUID().uuidString, status: status, receivedAt: now,
            headers: #"{"content-type":"application/json"}"#, body: ByteBuffer(string: body), events: events
        )
    }

    @Test(
        "unparsed receipts that parse now get their events and deliveries; stale events are rewritten in place; twice changes nothing",
        arguments: TestBackend.available)
    func renormalize(backend: TestBackend) async throws {
        try await withTestStore(backend) { store in
            let unparsed = receipt(body: stripeBody(), status: .unparsed)
            let staleID = Identifier.make(prefix: "evt_", now: Date())
            let stale = receipt(
                body: stripeBody(), status: .normalized,
                events: [
                    IngestRecord.Event(
                        id: staleID, type: "provider.stripe.payment_intent.succeeded", subject: nil, time: Date(),
                        payload: ByteBuffer(string: #"{"specversion":"1.0","id":"\#(staleID)","type":"provider.stripe.payment_intent.succeeded"}"#),
                        deliveries: [PlannedDelivery(destination: "target:billing")]
                    )
                ])
            let orphan = receipt(source: "removed-source", body: stripeBody(), status: .unparsed)
            _ = try await store.ingest([unparsed, stale, orphan])
            let renormalizer = Renormalizer(store: store, configuration: try configuration())

            let first = try await renormalizer.run(since: Date().addingTimeInterval(-3_600), actor: "cli:test")
            #expect(
                first.receipts == 3 && first.changed == 2 && first.eventsCreated == 1 && first.eventsUpdated == 1 && first.skipped == 1, "\(first)")

            let parsed = try #require(try await store.receipts(ReceiptQuery(limit: 10)).items.first { $0.id == unparsed.receiptID })
            #expect(parsed.status == .normalized && parsed.eventIDs.count == 1)
            let created = try #require(try await store.event(id: parsed.eventIDs[0]))
            #expect(created.type == "payment.succeeded" && created.sourceID == "stripe")
            #expect(try await store.deliveries(eventID: created.id).map(\.destination) == ["target:billing"], "routed by today's routes")

            let rewritten = try #require(try await store.event(id: staleID))
            #expect(rewritten.type == "payment.succeeded", "the same id, what it says brought up to date")
            let payload = String(buffer: rewritten.payload)
            #expect(payload.contains(#""id":"\#(staleID)""#) && payload.contains(#""type":"payment.succeeded""#) && payload.contains(#""amount""#))
            #expect(try await store.deliveries(eventID: staleID).count == 1, "an existing event is not delivered again")

            let second = try await renormalizer.run(since: nil, actor: "cli:test")
            #expect(second.receipts == 3 && second.changed == 0 && second.eventsCreated == 0 && second.eventsUpdated == 0)
            #expect(try await renormalizer.run(since: Date().addingTimeInterval(60), actor: "cli:test").receipts == 0)
            let audit = try await store.auditLog(limit: 10, before: nil).items
            #expect(audit.map(\.action) == ["receipts.renormalize"], "only the run that changed something")
            #expect(audit.first?.actor == "cli:test" && audit.first?.detail.contains(#""events_created":1"#) == true)
        }
    }
}
