import AsyncHTTPClient
import Foundation
import HookGateProviders
import HookGateTesting
import NIOCore
import NIOHTTP1
import Testing

@testable import HookGateCore

/// Every provider end to end over real HTTPS on 127.0.0.1, on every storage backend: stored once, duplicates,
/// forged and stale requests, and each provider's own answers (TwiML, the WooCommerce ping).
@Suite("Providers end to end")
struct ProviderIngestTests {
    static let certificate = try! DevelopmentCertificate.make()
    static let publicURL = "https://hooks.example.com"

    /// One source per provider (ids made unique per test), everything routed to one target.
    struct Sources {
        let suffix = UUID().uuidString.prefix(6).lowercased()
        func id(_ kind: ProviderKind) -> String { "\(kind.rawValue)-\(suffix)" }
        static func secret(_ kind: ProviderKind) -> String { "secret-for-\(kind.rawValue)" }
    }

    func configuration(_ backend: TestBackend, _ sources: Sources) throws -> HookGateConfiguration {
        let lines = ProviderKind.allCases.map { kind in
            "  - { id: \(sources.id(kind)), provider: \(kind.rawValue), secrets: [\"old-\(kind.rawValue)\", \"\(Sources.secret(kind))\"]"
                + (kind == .twilio ? ", public_url: \"\(Self.publicURL)\"" : "") + " }"
        }
        let yaml = """
            \(sharedYAML(storageURL: try backend.makeStorageURL(), serverLines: "  tls: { cert: \(Self.certificate.certificatePath), key: \(Self.certificate.keyPath) }"))
            sources:
            \(lines.joined(separator: "\n"))
            targets:
              - { id: everything, url: "http://127.0.0.1:9/events" }
            routes:
              - { name: all, match: { types: ["*"] }, targets: [everything] }
            """
        return try ConfigurationLoader.parse(yaml: yaml, environment: [:])
    }

    /// A correctly signed request for `kind` with `body` and the provider's usual headers.
    static func signed(
        _ kind: ProviderKind, sourceID: String, body: [UInt8], headers: [(String, String)] = [], query: String = "",
        secret: String? = nil, timestamp: Int64 = Int64(Date().timeIntervalSince1970)
    ) throws -> (path: String, headers: [(String, String)]) {
        let path = "/webhooks/\(sourceID)" + query
        let signature = try ProviderSigning.headers(
            provider: kind, body: body, secret: secret ?? Sources.secret(kind), url: publicURL + path, timestamp: timestamp
        )
        let contentType = kind == .twilio && !query.contains("bodySHA256") ? "application/x-www-form-urlencoded" : "application/json"
        return (path, [("Content-Type", contentType)] + headers + signature)
    }

    static let fixtures: [(ProviderKind, String, [(String, String)], String)] = [
        (.twilio, "twilio/sms-inbound.txt", [("I-Twilio-Idempotency-Token", UUID().uuidString)], "message.received"),
        (
            .shopify, "shopify/order.json",
            [
                ("X-Shopify-Topic", "orders/paid"), ("X-Shopify-Shop-Domain", "cool-store.myshopify.com"),
                ("X-Shopify-Webhook-Id", UUID().uuidString), ("X-Shopify-Triggered-At", "2026-11-22T15:30:00.000Z"),
            ], "order.paid"
        ),
        (
            .woocommerce, "woocommerce/order-completed.json",
            [
                ("X-WC-Webhook-Source", "https://shop.example.com/"), ("X-WC-Webhook-Topic", "order.updated"),
                ("X-WC-Webhook-Delivery-ID", UUID().uuidString),
            ], "order.fulfilled"
        ),
        (.nmi, "nmi/sale-success.json", [], "payment.succeeded"),
        (.customerio, "customerio/email-clicked.json", [], "email.clicked"),
    ]

    @Test("each provider: stored once with its canonical event, then duplicate with the original ids", arguments: TestBackend.available)
    func storesOnce(backend: TestBackend) async throws {
        let sources = Sources()
        try await withGateway(try configuration(backend, sources)) { gateway in
            for (kind, fixture, headers, type) in Self.fixtures {
                let body = try Fixtures.bytes(fixture)
                let sourceID = sources.id(kind)
                let request = try Self.signed(kind, sourceID: sourceID, body: body, headers: headers)
                let first = try await gateway.post(path: request.path, body: body, headers: request.headers)
                #expect(first.status == 200, "\(kind): \(first.body)")
                // A retry is signed afresh (NMI's nonce changes; Customer.io's timestamp moves on).
                let retry = try Self.signed(
                    kind, sourceID: sourceID, body: body, headers: headers, timestamp: Int64(Date().timeIntervalSince1970) - 2)
                let second = try await gateway.post(path: retry.path, body: body, headers: retry.headers)
                #expect(second.status == 200)
                let listed = try await gateway.adminJSON("/v1/events?source=\(sourceID)")
                let events = try #require(listed["data"] as? [[String: Any]])
                #expect(events.count == 1, "\(kind) stored once")
                #expect(events.first?["type"] as? String == type)
                let id = try #require(events.first?["id"] as? String)
                if kind == .twilio {
                    #expect(first.headers.first(name: "Content-Type") == "text/xml")
                    #expect(first.body == #"<?xml version="1.0" encoding="UTF-8"?><Response/>"#)
                    #expect(second.body == first.body)
                } else {
                    #expect(first.body == #"{"status":"accepted","events":["\#(id)"]}"#)
                    #expect(second.body == #"{"status":"duplicate","events":["\#(id)"]}"#)
                }
                let event = try await gateway.adminJSON("/v1/events/\(id)")
                #expect((event["deliveries"] as? [[String: Any]])?.first?["destination"] as? String == "target:everything")
            }
        }
    }

    @Test("forged, wrong-secret, stale and unsigned requests: 401 invalid_signature, nothing stored", arguments: TestBackend.available)
    func rejections(backend: TestBackend) async throws {
        let sources = Sources()
        try await withGateway(try configuration(backend, sources)) { gateway in
            for (kind, fixture, headers, _) in Self.fixtures {
                let body = try Fixtures.bytes(fixture)
                let sourceID = sources.id(kind)
                let forged = try Self.signed(kind, sourceID: sourceID, body: body, headers: headers, secret: "attacker")
                let unsigned = try Self.signed(kind, sourceID: sourceID, body: body, headers: headers)
                var cases = [
                    ("wrong secret", try await gateway.post(path: forged.path, body: body, headers: forged.headers)),
                    ("tampered", try await gateway.post(path: unsigned.path, body: body + Array(" ".utf8), headers: unsigned.headers)),
                    ("unsigned", try await gateway.post(path: unsigned.path, body: body, headers: [("Content-Type", "application/json")] + headers)),
                ]
                if kind == .customerio {
                    let stale = try Self.signed(kind, sourceID: sourceID, body: body, timestamp: Int64(Date().timeIntervalSince1970) - 400)
                    cases.append(("stale", try await gateway.post(path: stale.path, body: body, headers: stale.headers)))
                }
                for (name, response) in cases {
                    #expect(response.status == 401, "\(kind) \(name)")
                    #expect(response.body == #"{"error":"invalid_signature"}"#, "\(kind) \(name)")
                }
                let receipts = try await gateway.adminJSON("/v1/receipts?source=\(sourceID)")
                #expect((receipts["data"] as? [Any])?.isEmpty == true, "\(kind): nothing stored")
            }
        }
    }

    @Test("rotation: a request signed with the previous secret verifies; Twilio's JSON body and default port", arguments: TestBackend.available)
    func rotationAndTwilioVariants(backend: TestBackend) async throws {
        let sources = Sources()
        try await withGateway(try configuration(backend, sources)) { gateway in
            let body = try Fixtures.bytes("nmi/refund-success.json")
            let old = try Self.signed(.nmi, sourceID: sources.id(.nmi), body: body, secret: "old-nmi")
            #expect(try await gateway.post(path: old.path, body: body, headers: old.headers).status == 200)

            let json = try Fixtures.bytes("twilio/message-status.json")
            let path = "/webhooks/\(sources.id(.twilio))?channel=whatsapp"
            let url = TwilioSigner.urlWithBodyHash(Self.publicURL + path, body: json)
            let query = String(url.dropFirst(Self.publicURL.count + "/webhooks/\(sources.id(.twilio))".count))
            let signedJSON = try Self.signed(.twilio, sourceID: sources.id(.twilio), body: json, query: query)
            let accepted = try await gateway.post(path: signedJSON.path, body: json, headers: signedJSON.headers)
            #expect(accepted.status == 200)
            #expect(accepted.headers.first(name: "Content-Type") == "text/xml")
            let tampered = try await gateway.post(path: signedJSON.path, body: json + [0x20], headers: signedJSON.headers)
            #expect(tampered.status == 401)

            // Signed with :443 spelled out: the same URL for Twilio's purposes.
            let form = try Fixtures.bytes("twilio/call-status-completed.txt")
            let withPort = TwilioSigner.signature(
                url: "https://hooks.example.com:443/webhooks/\(sources.id(.twilio))", body: form, authToken: Sources.secret(.twilio))
            let call = try await gateway.post(
                path: "/webhooks/\(sources.id(.twilio))", body: form,
                headers: [("Content-Type", "application/x-www-form-urlencoded"), ("X-Twilio-Signature", withPort)]
            )
            #expect(call.status == 200)
            let events = try await gateway.adminJSON("/v1/events?source=\(sources.id(.twilio))")
            #expect(
                Set((events["data"] as? [[String: Any]])?.compactMap { $0["type"] as? String } ?? []) == [
                    "message.status_changed", "call.status_changed",
                ])
        }
    }

    @Test("WooCommerce's creation ping: exactly 200 {\"status\":\"ping\"}, nothing stored", arguments: TestBackend.available)
    func wooPing(backend: TestBackend) async throws {
        let sources = Sources()
        try await withGateway(try configuration(backend, sources)) { gateway in
            let response = try await gateway.post(
                path: "/webhooks/\(sources.id(.woocommerce))", body: Array("webhook_id=12".utf8),
                headers: [("Content-Type", "application/x-www-form-urlencoded"), ("User-Agent", "WooCommerce/9.9.0 Hookshot (WordPress/6.8)")]
            )
            #expect(response.status == 200)
            #expect(response.body == #"{"status":"ping"}"#)
            #expect(response.headers.first(name: "Content-Type") == "application/json")
            let receipts = try await gateway.adminJSON("/v1/receipts?source=\(sources.id(.woocommerce))")
            #expect((receipts["data"] as? [Any])?.isEmpty == true)
            // The ping body on another provider is just an unsigned request.
            let elsewhere = try await gateway.post(path: "/webhooks/\(sources.id(.shopify))", body: Array("webhook_id=12".utf8), headers: [])
            #expect(elsewhere.status == 401)
        }
    }

    @Test("signed but unparseable bodies are kept as unparsed receipts; unknown types pass through", arguments: TestBackend.available)
    func unparsedAndPassthrough(backend: TestBackend) async throws {
        let sources = Sources()
        try await withGateway(try configuration(backend, sources)) { gateway in
            for kind in [ProviderKind.shopify, .woocommerce, .nmi, .customerio] {
                let body = Array("{not json at all".utf8)
                let request = try Self.signed(kind, sourceID: sources.id(kind), body: body)
                let response = try await gateway.post(path: request.path, body: body, headers: request.headers)
                #expect(response.status == 200, "\(kind)")
                #expect(response.body == #"{"status":"accepted","events":[]}"#, "\(kind)")
                let receipts = try await gateway.adminJSON("/v1/receipts?status=unparsed&source=\(sources.id(kind))")
                #expect((receipts["data"] as? [Any])?.count == 1, "\(kind)")
            }
            let body = try Fixtures.bytes("nmi/void-success.json")
            let request = try Self.signed(.nmi, sourceID: sources.id(.nmi), body: body)
            let response = try await gateway.post(path: request.path, body: body, headers: request.headers)
            #expect(response.status == 200)
            let events = try await gateway.adminJSON("/v1/events?source=\(sources.id(.nmi))&type=provider.nmi.transaction.void.success")
            #expect((events["data"] as? [Any])?.count == 1)
        }
    }

    @Test("mutated requests to every provider get only documented statuses, never a 5xx")
    func httpFuzz() async throws {
        let sources = Sources()
        try await withGateway(try configuration(.sqlite, sources)) { gateway in
            var generator = SystemRandomNumberGenerator()
            for (kind, fixture, headers, _) in Self.fixtures {
                let original = try Fixtures.bytes(fixture)
                for round in 0..<60 {
                    var body = original
                    var request = try Self.signed(kind, sourceID: sources.id(kind), body: original, headers: headers)
                    if round % 2 == 0 {
                        body[Int.random(in: 0..<body.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                    } else if let index = request.headers.indices.last {
                        var value = Array(request.headers[index].1.utf8)
                        value[Int.random(in: 0..<value.count, using: &generator)] = UInt8.random(in: 0x21...0x7e, using: &generator)
                        request.headers[index].1 = String(decoding: value, as: UTF8.self)
                    }
                    let response = try await gateway.post(path: request.path, body: body, headers: request.headers)
                    #expect([200, 401].contains(response.status), "\(kind): \(response.status) \(response.body)")
                }
            }
        }
    }
}
