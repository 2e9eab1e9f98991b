import Foundation
import HTTPTypes
import NIOCore
import Testing

@testable import HookGateCore

/// Fan-out and intake without sockets: which destinations an event gets, when each first attempt is due, and what a
/// verified webhook commits.
@Suite("Fan-out and intake")
struct FanOutTests {
    let configuration = try! ConfigurationLoader.parse(
        yaml: """
            sources:
              - { id: stripe, provider: stripe, secrets: [whsec_test] }
              - { id: shop, provider: shopify, secrets: [shpss_test] }
            targets:
              - { id: billing, url: "http://billing.internal/events", retry: { schedule: [3s, 5s] } }
              - { id: audit, url: "http://audit.internal/events" }
            routes:
              - { name: payments, match: { types: ["payment.*"], sources: [stripe] }, targets: [billing] }
              - { name: everything, match: { types: ["*"] }, targets: [audit, billing] }
            subscriptions:
              retry: { schedule: [2s, 1m] }
            """,
        environment: [:]
    )

    private func subscription(_ id: String, types: [String], sources: [String]?, status: SubscriptionStatus = .active) -> StoredSubscription {
        StoredSubscription(
            id: id, url: "https://example.com/\(id)", types: types, sources: sources, description: nil, secret: "whsec_x", status: status,
            createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0)
        )
    }

    @Test("route targets first, each once, then the active subscriptions that match, each with its first delay")
    func deliveries() {
        let fanOut = FanOut(configuration: configuration)
        #expect(fanOut.deliveries(forType: "payment.succeeded", source: "stripe").map(\.destination) == ["target:billing", "target:audit"])
        fanOut.subscribe([
            subscription("sub_a", types: ["payment.*"], sources: nil),
            subscription("sub_b", types: ["order.created"], sources: ["shop"]),
            subscription("sub_c", types: ["*"], sources: nil, status: .disabled),
            subscription("sub_d", types: ["payment.succeeded"], sources: ["shop"]),
        ])
        let planned = fanOut.deliveries(forType: "payment.succeeded", source: "stripe")
        #expect(
            planned == [
                PlannedDelivery(destination: "target:billing", firstAttemptDelay: .seconds(3)),
                PlannedDelivery(destination: "target:audit", firstAttemptDelay: .zero),
                PlannedDelivery(destination: "subscription:sub_a", firstAttemptDelay: .seconds(2)),
            ])
        #expect(
            fanOut.deliveries(forType: "order.created", source: "shop").map(\.destination) == [
                "target:audit", "target:billing", "subscription:sub_b",
            ])
        fanOut.subscribe([])
        #expect(fanOut.subscriptions(forType: "payment.succeeded", source: "stripe").isEmpty, "a reload replaces what came before")
    }

    @Test("destinations named by hand keep their own first delay, in the order given")
    func planned() {
        let fanOut = FanOut(configuration: configuration)
        #expect(
            fanOut.planned(["subscription:sub_z", "target:audit", "target:billing"]) == [
                PlannedDelivery(destination: "subscription:sub_z", firstAttemptDelay: .seconds(2)),
                PlannedDelivery(destination: "target:audit", firstAttemptDelay: .zero),
                PlannedDelivery(destination: "target:billing", firstAttemptDelay: .seconds(3)),
            ])
    }

    @Test("intake: credentials are not stored, repeated headers are joined, a valid traceparent rides in each event")
    func intake() throws {
        let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let headers: HTTPFields = [
            .authorization: "Bearer secret-token", .cookie: "session=abc", .contentType: "application/json",
            HTTPField.Name("X-Tag")!: "one", HTTPField.Name("x-tag")!: "two", HTTPField.Name("traceparent")!: traceparent,
        ]
        let received = Date(timeIntervalSince1970: 1_790_000_000)
        let webhook = InboundWebhook(
            sourceID: "stripe", headers: headers, body: ByteBuffer(string: "{}"), pathAndQuery: "/webhooks/stripe", receivedAt: received)
        let events = ["payment.succeeded", "customer.updated"].map { type in
            CanonicalEvent(
                id: Identifier.make(prefix: "evt_", now: received), sourceID: "stripe", provider: .stripe, type: type, subject: nil, time: received,
                providerEventID: "evt_1", providerEventType: "charge.succeeded", data: .object([])
            )
        }
        let record = Intake(fanOut: FanOut(configuration: configuration))
            .record(for: webhook, Normalization(status: .normalized, dedupeKey: "stripe:evt_1", events: events))

        #expect(
            record.receiptID.hasPrefix("rcp_") && record.sourceID == "stripe" && record.dedupeKey == "stripe:evt_1" && record.receivedAt == received)
        let stored = try #require(try JSONSerialization.jsonObject(with: Data(record.headers.utf8)) as? [String: String])
        #expect(stored == ["content-type": "application/json", "x-tag": "one, two", "traceparent": traceparent])
        #expect(record.events.map(\.type) == ["payment.succeeded", "customer.updated"])
        #expect(record.events.map { $0.deliveries.map(\.destination) } == [["target:billing", "target:audit"], ["target:audit", "target:billing"]])
        for event in record.events {
            let json = try #require(try JSONSerialization.jsonObject(with: Data(event.payload.readableBytesView)) as? [String: Any])
            #expect(json["traceparent"] as? String == traceparent && json["id"] as? String == event.id)
        }
    }

    @Test("intake: a malformed traceparent is not passed on")
    func malformedTraceparent() throws {
        let webhook = InboundWebhook(
            sourceID: "shop", headers: [HTTPField.Name("traceparent")!: "00-not-a-trace-01"], body: ByteBuffer(), pathAndQuery: "/webhooks/shop",
            receivedAt: Date()
        )
        let event = CanonicalEvent(
            id: "evt_x", sourceID: "shop", provider: .shopify, type: "order.created", subject: "1", time: Date(), providerEventID: nil,
            providerEventType: nil, data: .object([])
        )
        let record = Intake(fanOut: FanOut(configuration: configuration)).record(
            for: webhook, Normalization(status: .normalized, dedupeKey: "k", events: [event]))
        let payload = String(buffer: try #require(record.events.first).payload)
        #expect(!payload.contains("traceparent"), "\(payload)")
    }
}
