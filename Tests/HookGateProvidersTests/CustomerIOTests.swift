import Foundation
import HookGateCore
import HookGateProviders
import HookGateTesting
import Testing

@Suite("Customer.io")
struct CustomerIOTests {
    typealias Support = ProviderTestSupport

    static let vectorTimestamp: Int64 = 1_613_063_100
    static let vectorSignature = "c00e023b3e14a24ae9d06818d955ca55746f7af32ea61720a435de0511731306"
    static let at = Date(timeIntervalSince1970: 1_613_063_100)

    func cio(_ secrets: [String] = ["test_signing_key"], tolerance: Duration = .seconds(300)) -> any Provider {
        Support.provider(.customerio, secrets: secrets, tolerance: tolerance)
    }

    func request(_ body: [UInt8], timestamp: String?, signature: String?, at: Date = at) -> InboundWebhook {
        var headers: [(String, String)] = []
        if let timestamp { headers.append(("X-CIO-Timestamp", timestamp)) }
        if let signature { headers.append(("X-CIO-Signature", signature)) }
        return Support.webhook(body, headers: headers, at: at)
    }

    @Test("PROVIDERS.md vector")
    func vector() throws {
        let body = try Fixtures.bytes("customerio/email-delivered.json")
        #expect(CustomerIOSigner.signature(body: body, signingKey: "test_signing_key", timestamp: Self.vectorTimestamp) == Self.vectorSignature)
        #expect(cio().verify(request(body, timestamp: "1613063100", signature: Self.vectorSignature), now: Self.at))
        #expect(cio().verify(request(body, timestamp: "1613063100", signature: Self.vectorSignature.uppercased()), now: Self.at))
        #expect(cio(["old", "test_signing_key"]).verify(request(body, timestamp: "1613063100", signature: Self.vectorSignature), now: Self.at))
    }

    @Test("stale or future timestamps, missing headers, wrong key, tampered body")
    func rejections() throws {
        let body = try Fixtures.bytes("customerio/email-delivered.json")
        let provider = cio()
        #expect(provider.verify(request(body, timestamp: "1613063100", signature: Self.vectorSignature), now: Self.at.addingTimeInterval(300)))
        #expect(!provider.verify(request(body, timestamp: "1613063100", signature: Self.vectorSignature), now: Self.at.addingTimeInterval(301)))
        #expect(!provider.verify(request(body, timestamp: "1613063100", signature: Self.vectorSignature), now: Self.at.addingTimeInterval(-301)))
        #expect(
            !cio(tolerance: .seconds(30)).verify(
                request(body, timestamp: "1613063100", signature: Self.vectorSignature), now: Self.at.addingTimeInterval(31)))
        #expect(!provider.verify(request(body, timestamp: nil, signature: Self.vectorSignature), now: Self.at))
        #expect(!provider.verify(request(body, timestamp: "1613063100", signature: nil), now: Self.at))
        #expect(!provider.verify(request(body, timestamp: "1613063101", signature: Self.vectorSignature), now: Self.at))
        #expect(!provider.verify(request(body, timestamp: "+1613063100", signature: Self.vectorSignature), now: Self.at))
        #expect(!cio(["other"]).verify(request(body, timestamp: "1613063100", signature: Self.vectorSignature), now: Self.at))
        #expect(!provider.verify(request(body + [0x20], timestamp: "1613063100", signature: Self.vectorSignature), now: Self.at))
    }

    @Test(
        "{object_type}.{metric} events, spammed → complained",
        arguments: [
            ("customerio/email-delivered.json", "email.delivered", "test@example.com"),
            ("customerio/email-clicked.json", "email.clicked", "test@example.com"),
            ("customerio/email-spammed.json", "email.complained", "test@example.com"),
            ("customerio/email-bounced.json", "email.bounced", "nobody@example.invalid"),
            ("customerio/sms-sent.json", "sms.sent", "+15551234567"),
            ("customerio/push-delivered.json", "push.delivered", "fcm-token-abc123"),
            ("customerio/in_app-opened.json", "in_app.opened", nil),
            ("customerio/whatsapp-opened.json", "whatsapp.opened", "+5511987654321"),
        ])
    func messaging(fixture: String, type: String, recipient: String?) throws {
        let (result, event) = try Support.single(cio(), fixture: fixture)
        #expect(result.status == .normalized)
        #expect(event.type == type)
        #expect(event.subject == "RPILAgUBcRhIBqSfeiIwdIYJKxTY")
        #expect(event.data["delivery_id"] == "RPILAgUBcRhIBqSfeiIwdIYJKxTY")
        #expect(event.data["recipient"] == recipient.json)
        #expect(result.dedupeKey == event.providerEventID)
    }

    @Test("identifiers, links on clicks, failure messages, event time")
    func details() throws {
        let (_, delivered) = try Support.single(cio(), fixture: "customerio/email-delivered.json")
        #expect(delivered.time == Date(timeIntervalSince1970: 1_613_063_089))
        #expect(delivered.providerEventID == "01E4C4CT6YDC7Y5M7FE1GWWPQJ")
        #expect(delivered.providerEventType == "email.delivered")
        #expect(delivered.data["customer"] == .object(["id": .null, "email": .null]))
        #expect(delivered.data["link"] == nil)
        let (_, clicked) = try Support.single(cio(), fixture: "customerio/email-clicked.json")
        #expect(clicked.data["link"] == "https://example.com/welcome?utm_source=cio")
        #expect(clicked.data["customer"] == .object(["id": "42", "email": "test@example.com"]))
        let (_, bounced) = try Support.single(cio(), fixture: "customerio/email-bounced.json")
        #expect(bounced.data["failure_message"] == "550 5.1.1 The email account that you tried to reach does not exist")
        let (_, pushFailed) = try Support.single(cio(), fixture: "customerio/push-failed.json")
        #expect(pushFailed.type == "push.failed")
        #expect(pushFailed.data["failure_message"] == "BadDeviceToken")
    }

    @Test("customer subscription changes → customer.updated; other channels pass through")
    func customerAndPassthrough() throws {
        let (_, customer) = try Support.single(cio(), fixture: "customerio/customer-unsubscribed.json")
        #expect(customer.type == "customer.updated")
        #expect(customer.subject == "42")
        #expect(customer.data["customer"] == .object(["id": "42", "email": "test@example.com", "phone": .null, "name": .null]))
        #expect(customer.data["change"] == "unsubscribed")
        let (slack, event) = try Support.single(cio(), fixture: "customerio/slack-sent.json")
        #expect(slack.status == .unrecognized)
        #expect(event.type == "provider.customerio.slack.sent")
        #expect(cio().normalize(Support.webhook(#"{"object_type":"email","metric":"sent"}"#)).status == .unparsed)
    }

    @Test("thousands of mutated signatures and bodies never crash and never verify")
    func fuzz() throws {
        let body = try Fixtures.bytes("customerio/email-clicked.json")
        let headers = [
            ("X-CIO-Timestamp", "1613063100"),
            ("X-CIO-Signature", CustomerIOSigner.signature(body: body, signingKey: "test_signing_key", timestamp: Self.vectorTimestamp)),
        ]
        let result = Support.mutationFuzz(cio(), body: body, headers: headers, signed: ["X-CIO-Timestamp", "X-CIO-Signature"], now: Self.at)
        #expect(result.forgedBodies == 0)
        #expect(result.verified < 100)
    }
}
