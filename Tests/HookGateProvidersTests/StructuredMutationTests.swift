import Foundation
import HookGateProviders
import HookGateTesting
import Testing

@testable import HookGateCore

/// Property: whatever a correctly signed payload holds (wrong JSON types, huge and negative numbers, 1e308, NUL and
/// control characters, invalid UTF-8, deep nesting, duplicate and missing keys), it verifies, and its normalization
/// yields events whose CloudEvent JSON parses with a `time` common RFC 3339 parsers read. The bodies are signed after
/// they are mutated, so the normalizer, not the signature check, is what meets them.
@Suite("Structured mutations of signed payloads")
struct StructuredMutationTests {
    typealias Support = ProviderTestSupport

    /// SplitMix64: seeded, so that a failure names a case that can be run again.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let secret = "mutation-secret"
    static let url = "https://hooks.example.com/webhooks/source"

    /// Absurd JSON values, as text, to put where a value was.
    static let absurd = [
        "9223372036854775807", "-9223372036854775808", "99999999999999", "-62135596801", "1e308", "-1e308", "0.0000001", "1e-400",
        "18446744073709551616", "true", "null", "\"\"", "\"\\u0000\"", "\"a\\u0000b\\r\\n\\u001b[2J\"", "[]", "{}", "[1,\"x\",null]",
        "\"" + String(repeating: "é", count: 5_000) + "\"", "\"\\ud800\"", "\"2026-13-45T99:99:99Z\"", "\"0000-01-01T00:00:00Z\"",
        String(repeating: "[", count: 400) + String(repeating: "]", count: 400), "-0", "\"NaN\"", "\"-1.5\"", "\"99999999999999999999.99\"",
    ]

    /// One mutation of a JSON text: a value replaced, a key dropped, a key repeated, an invalid UTF-8 byte.
    static func mutate(_ text: [UInt8], using generator: inout SeededGenerator) -> [UInt8] {
        var bytes = text
        // Value positions: just after a `:`.
        let colons = bytes.indices.filter { bytes[$0] == UInt8(ascii: ":") }
        switch Int.random(in: 0..<5, using: &generator) {
        case 0, 1:
            guard let colon = colons.randomElement(using: &generator) else { return bytes }
            let end = valueEnd(bytes, from: colon + 1)
            bytes.replaceSubrange((colon + 1)..<end, with: Array(absurd.randomElement(using: &generator)!.utf8))
        case 2:
            // A key repeated at the top level with an absurd value: which one wins is the parser's choice.
            guard let last = bytes.lastIndex(of: UInt8(ascii: "}")), let colon = colons.randomElement(using: &generator),
                let quote = bytes[..<colon].lastIndex(of: UInt8(ascii: "\"")), let open = bytes[..<quote].lastIndex(of: UInt8(ascii: "\""))
            else { return bytes }
            let key = Array(bytes[open...quote])
            bytes.insert(contentsOf: Array(",".utf8) + key + Array(":".utf8) + Array(absurd.randomElement(using: &generator)!.utf8), at: last)
        case 3:
            // A value removed with its key: a missing member.
            guard let colon = colons.randomElement(using: &generator),
                let quote = bytes[..<colon].lastIndex(of: UInt8(ascii: "\"")), let open = bytes[..<quote].lastIndex(of: UInt8(ascii: "\""))
            else { return bytes }
            var end = valueEnd(bytes, from: colon + 1)
            if end < bytes.count && bytes[end] == UInt8(ascii: ",") { end += 1 }
            bytes.replaceSubrange(open..<end, with: Array("\"_gone\":0".utf8))
        default:
            // Invalid UTF-8 inside the text.
            guard !bytes.isEmpty else { return bytes }
            bytes.insert([0xFF, 0xC3, 0x28, 0x80].randomElement(using: &generator)!, at: Int.random(in: 0..<bytes.count, using: &generator))
        }
        return bytes
    }

    /// Where the JSON value that starts at `start` ends (brackets and strings balanced; good enough on our fixtures).
    static func valueEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var depth = 0
        var inString = false
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if byte == UInt8(ascii: "\\") { index += 1 } else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                depth += 1
            } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                if depth == 0 { return index }
                depth -= 1
            } else if byte == UInt8(ascii: ","), depth == 0 {
                return index
            }
            index += 1
        }
        return bytes.count
    }

    static let cases: [(ProviderKind, String, [(String, String)])] = [
        (.stripe, "stripe/payment_intent.succeeded.json", []),
        (.stripe, "stripe/customer.subscription.updated.json", []),
        (
            .shopify, "shopify/order.json",
            [
                ("X-Shopify-Topic", "orders/paid"), ("X-Shopify-Shop-Domain", "cool-store.myshopify.com"), ("X-Shopify-Webhook-Id", "wh-1"),
                ("X-Shopify-Triggered-At", "2026-11-22T15:30:00.000Z"),
            ]
        ),
        (
            .woocommerce, "woocommerce/order-completed.json",
            [
                ("X-WC-Webhook-Source", "https://shop.example.com/"), ("X-WC-Webhook-Topic", "order.updated"), ("X-WC-Webhook-Delivery-ID", "d-1"),
            ]
        ),
        (.nmi, "nmi/sale-success.json", []),
        (.customerio, "customerio/email-clicked.json", []),
    ]

    @Test("signed, mutated JSON payloads verify and normalize to readable events", arguments: cases.indices)
    func jsonProviders(index: Int) throws {
        let (kind, fixture, extraHeaders) = Self.cases[index]
        let provider = Support.provider(kind, secrets: [Self.secret])
        let original = try Fixtures.bytes(fixture)
        var generator = SeededGenerator(state: UInt64(index) &* 7_919 &+ 1)
        for round in 0..<400 {
            var body = original
            for _ in 0..<Int.random(in: 1...3, using: &generator) { body = Self.mutate(body, using: &generator) }
            let timestamp = Int64(Support.received.timeIntervalSince1970)
            let headers =
                extraHeaders + (try ProviderSigning.headers(provider: kind, body: body, secret: Self.secret, url: Self.url, timestamp: timestamp))
            let webhook = Support.webhook(body, headers: headers + [("Content-Type", "application/json")])
            #expect(provider.verify(webhook, now: Support.received), "\(kind) round \(round): a signed body verifies whatever it holds")
            check(provider.normalize(webhook), "\(kind) round \(round): \(String(decoding: body.prefix(300), as: UTF8.self))")
        }
    }

    @Test("signed, mutated Twilio forms verify and normalize to readable events")
    func twilioForms() throws {
        let provider = Support.provider(.twilio, secrets: [Self.secret], publicURL: "https://hooks.example.com")
        let original = String(decoding: try Fixtures.bytes("twilio/sms-inbound.txt"), as: UTF8.self)
        let values = ["99999999999999999999", "-5", "%00", "%ZZ", "%", "a%00b%0d%0a", String(repeating: "x", count: 10_000), "%FF%FE", "1e308", ""]
        var generator = SeededGenerator(state: 42)
        for round in 0..<400 {
            var fields = original.split(separator: "&").map(String.init)
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let index = Int.random(in: 0..<fields.count, using: &generator)
                let name = fields[index].split(separator: "=", maxSplits: 1).first.map(String.init) ?? "X"
                fields[index] = name + "=" + values.randomElement(using: &generator)!
                if Bool.random(using: &generator) { fields.append("NumMedia=" + values.randomElement(using: &generator)!) }
            }
            let body = Array(fields.joined(separator: "&").utf8)
            let headers = try ProviderSigning.headers(provider: .twilio, body: body, secret: Self.secret, url: Self.url, timestamp: 0)
            let webhook = Support.webhook(body, headers: headers + [("Content-Type", "application/x-www-form-urlencoded")])
            #expect(provider.verify(webhook, now: Support.received), "twilio round \(round)")
            check(provider.normalize(webhook), "twilio round \(round): \(fields.joined(separator: "&").prefix(300))")
        }
    }

    /// The properties every normalization has.
    func check(_ normalization: Normalization, _ context: String) {
        for event in normalization.events {
            #expect(Timestamp.providerRange.contains(event.time) || event.time == Support.received, "\(context): time \(event.time)")
            let json = try? JSONSerialization.jsonObject(with: Data(event.cloudEventJSON())) as? [String: Any]
            let time = (json?["time"] as? String).flatMap(Timestamp.parse)
            #expect(time != nil, "\(context): the CloudEvent parses with an RFC 3339 time")
        }
    }
}
