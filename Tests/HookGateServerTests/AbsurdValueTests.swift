import Foundation
import HookGateProviders
import HookGateTesting
import Testing

@testable import HookGateCore

/// Correctly signed webhooks whose values are absurd (times millions of years away or before year 1, counts past
/// `Int64`) are stored and answered 200, and the gateway keeps serving (DESIGN.md §2: a verified request is never
/// lost for its content).
@Suite("Absurd values in signed payloads")
struct AbsurdValueTests {
    /// Bodies for each provider, each with one absurd value, and the headers that provider needs.
    static func cases() throws -> [(name: String, kind: ProviderKind, body: [UInt8], headers: [(String, String)])] {
        let stripe = { (created: String) -> [UInt8] in
            Array(
                #"{"id":"evt_\#(UUID().uuidString.prefix(8))","object":"event","created":\#(created),"type":"payment_intent.succeeded","data":{"object":{"id":"pi_1","object":"payment_intent","amount":100,"amount_received":100,"currency":"usd"}}}"#
                    .utf8)
        }
        let subscription = Array(
            #"{"id":"evt_\#(UUID().uuidString.prefix(8))","object":"event","created":1763720100,"type":"customer.subscription.updated","data":{"object":{"id":"sub_1","object":"subscription","customer":"cus_1","status":"active","current_period_end":9223372036854775807}}}"#
                .utf8
        )
        let fixture = try String(decoding: Fixtures.bytes("customerio/email-clicked.json"), as: UTF8.self)
        // Each case its own event id: the same one would be a duplicate, answered with the first case's event.
        let cio = { (timestamp: String) -> [UInt8] in
            Array(
                fixture.replacingOccurrences(of: "1763806500", with: timestamp)
                    .replacingOccurrences(of: "01JD3Q0Z8V7N2K4M6P8R0T2W4Y", with: UUID().uuidString).utf8)
        }
        let shopify = try Fixtures.bytes("shopify/order.json")
        let shopifyHeaders = { (triggered: String) in
            [
                ("X-Shopify-Topic", "orders/paid"), ("X-Shopify-Shop-Domain", "cool-store.myshopify.com"),
                ("X-Shopify-Webhook-Id", UUID().uuidString), ("X-Shopify-Triggered-At", triggered),
            ]
        }
        return [
            ("stripe created 99999999999999", .stripe, stripe("99999999999999"), []),
            ("stripe created -62135596801", .stripe, stripe("-62135596801"), []),
            ("stripe created Int64.max", .stripe, stripe("9223372036854775807"), []),
            ("stripe created 1e308", .stripe, stripe("1e308"), []),
            ("stripe current_period_end Int64.max", .stripe, subscription, []),
            ("customer.io timestamp 99999999999999", .customerio, cio("99999999999999"), []),
            ("customer.io timestamp -9223372036854775808", .customerio, cio("-9223372036854775808"), []),
            ("shopify triggered at year 0", .shopify, shopify, shopifyHeaders("0000-01-01T00:00:00Z")),
        ]
    }

    @Test("each is stored and answered 200, its time the receipt's, and the gateway serves on", arguments: TestBackend.available)
    func storedAndAlive(backend: TestBackend) async throws {
        let sources = ProviderIngestTests.Sources()
        try await withGateway(try ProviderIngestTests().configuration(backend, sources)) { gateway in
            for (name, kind, body, headers) in try Self.cases() {
                let sourceID = sources.id(kind)
                let before = Date()
                let request = try ProviderIngestTests.signed(kind, sourceID: sourceID, body: body, headers: headers)
                let response = try await gateway.post(path: request.path, body: body, headers: request.headers)
                #expect(response.status == 200 && response.body.contains("accepted"), "\(name): stored anew: \(response.body)")
                let object = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
                let id = try #require((object?["events"] as? [String])?.first, "\(name): \(response.body)")
                let event = try await gateway.adminJSON("/v1/events/\(id)")
                let time = try #require(event["time"] as? String)
                let parsed = try #require(Timestamp.parse(time), "\(name): \(time) is RFC 3339")
                if name.contains("current_period_end") {
                    #expect(time == "2025-11-21T10:15:00Z", "its own created time")
                    #expect((event["data"] as? [String: Any])?["current_period_end"] == nil, "an unrepresentable time is left out")
                } else {
                    #expect(
                        parsed >= before.addingTimeInterval(-1) && parsed <= Date().addingTimeInterval(1), "\(name): the receipt time, not \(time)")
                }
            }
            // Still alive, and still storing.
            let normal = try await gateway.postSignedStripe(
                sources.id(.stripe), body: stripeBody(), secret: ProviderIngestTests.Sources.secret(.stripe))
            #expect(normal.status == 200 && normal.body.contains("accepted"))
        }
    }
}
