import Foundation
import HookGateTesting
import Testing

@testable import HookGateCore

/// `sources[].auto_erase` (DESIGN.md §13): Shopify's redact topics, signed and posted over real HTTPS, erase by
/// themselves on the source that asks for it, and nowhere else; the request itself is kept to be delivered.
@Suite("Automatic erasure of Shopify privacy topics")
struct AutoEraseTests {
    func configuration(_ backend: TestBackend, erasing: String, keeping: String) throws -> HookGateConfiguration {
        let secret = ProviderIngestTests.Sources.secret(.shopify)
        let certificate = ProviderIngestTests.certificate
        let yaml = """
            \(sharedYAML(storageURL: try backend.makeStorageURL(), serverLines: "  tls: { cert: \(certificate.certificatePath), key: \(certificate.keyPath) }"))
            sources:
              - { id: \(erasing), provider: shopify, secrets: ["\(secret)"], auto_erase: true }
              - { id: \(keeping), provider: shopify, secrets: ["\(secret)"] }
            targets:
              - { id: everything, url: "http://127.0.0.1:9/events" }
            routes:
              - { name: all, match: { types: ["*"] }, targets: [everything] }
            """
        return try ConfigurationLoader.parse(yaml: yaml, environment: [:])
    }

    /// Posts a signed Shopify webhook of `topic`; the stored event's id.
    func post(_ gateway: RunningGateway, _ source: String, topic: String, body: String) async throws -> String {
        let bytes = Array(body.utf8)
        let headers = [
            ("X-Shopify-Topic", topic), ("X-Shopify-Shop-Domain", "cool-store.myshopify.com"), ("X-Shopify-Webhook-Id", UUID().uuidString),
            ("X-Shopify-Triggered-At", "2026-12-07T10:00:00.000Z"),
        ]
        let request = try ProviderIngestTests.signed(.shopify, sourceID: source, body: bytes, headers: headers)
        let answer = try await gateway.post(path: request.path, body: bytes, headers: request.headers)
        let object = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]
        return try #require((object?["events"] as? [String])?.first, "\(topic): \(answer.status) \(answer.body)")
    }

    func data(_ gateway: RunningGateway, _ event: String) async throws -> [String: Any] {
        try await gateway.adminJSON("/v1/events/\(event)")["data"] as? [String: Any] ?? [:]
    }

    /// The erasures once none is running and there are `count` of them.
    func erasures(_ gateway: RunningGateway, count: Int) async throws -> [[String: Any]] {
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            let listed = try await gateway.adminJSON("/v1/erasures")["data"] as? [[String: Any]] ?? []
            let finished = listed.count >= count && listed.allSatisfy { $0["state"] as? String != "running" }
            if finished || ContinuousClock.now > deadline { return listed }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test(
        "customers/redact erases that customer, shop/redact the whole source; the other source and the requests stay",
        arguments: TestBackend.available)
    func redactTopics(backend: TestBackend) async throws {
        let suffix = UUID().uuidString.prefix(6).lowercased()
        let (erasing, keeping) = ("shop-a-\(suffix)", "shop-b-\(suffix)")
        try await withGateway(try configuration(backend, erasing: erasing, keeping: keeping)) { gateway in
            let customer = String(decoding: try Fixtures.bytes("shopify/customer.json"), as: UTF8.self)
            let bob = try await post(gateway, erasing, topic: "customers/create", body: customer)
            let bobElsewhere = try await post(gateway, keeping, topic: "customers/create", body: customer)
            let other = try await post(gateway, erasing, topic: "customers/create", body: customer.replacingOccurrences(of: "207119551", with: "5"))
            let redact =
                #"{"shop_id":954889,"shop_domain":"cool-store.myshopify.com","customer":{"id":207119551,"email":"Bob.Norman@mail.example.com","phone":"+16136120707"},"orders_to_redact":[]}"#
            let request = try await post(gateway, erasing, topic: "customers/redact", body: redact)

            let first = try await erasures(gateway, count: 1)
            #expect(first.count == 1 && first.first?["state"] as? String == "done" && first.first?["events"] as? Int == 2, "\(first)")
            #expect(first.first?["created_by"] as? String == "auto_erase:\(erasing)")
            #expect(try await data(gateway, bob)["redacted"] as? Bool == true)
            #expect(try await data(gateway, other)["redacted"] as? Bool == true, "the same email: the same customer")
            #expect((try await data(gateway, bobElsewhere)["customer"] as? [String: Any])?["email"] != nil, "a source without auto_erase")
            let kept = try await data(gateway, request)
            #expect((kept["customer"] as? [String: Any])?["email"] as? String == "Bob.Norman@mail.example.com", "the request is delivered as it came")

            // The same topic on the source without auto_erase starts nothing.
            _ = try await post(gateway, keeping, topic: "customers/redact", body: redact)
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await erasures(gateway, count: 1).count == 1)

            let shop = try await post(gateway, erasing, topic: "shop/redact", body: #"{"shop_id":954889,"shop_domain":"cool-store.myshopify.com"}"#)
            let second = try await erasures(gateway, count: 2)
            #expect(second.count == 2 && second.allSatisfy { $0["state"] as? String == "done" }, "\(second)")
            #expect(try await data(gateway, request)["redacted"] as? Bool == true, "shop/redact takes everything, earlier requests too")
            #expect(try await data(gateway, shop)["redacted"] == nil, "but not itself")
            #expect((try await data(gateway, bobElsewhere)["customer"] as? [String: Any])?["email"] != nil)
        }
    }
}
