import Foundation
import Testing

@testable import HookGateCore

@Suite("Event encoding")
struct EventEncodingTests {
    @Test("CloudEvent JSON has the contract's members and parses back")
    func cloudEvent() throws {
        let event = CanonicalEvent(
            id: "evt_01JD3Q0Z8V7N2K4M6P8R0T2W4Y", sourceID: "stripe", provider: .stripe, type: "payment.succeeded", subject: "pi_1",
            time: Date(timeIntervalSince1970: 1_700_000_000), providerEventID: "evt_1", providerEventType: "payment_intent.succeeded",
            data: .object(["payment_id": "pi_1", "amount": Money(minor: 2000, currency: "usd")!.json, "note": "quote \" and \n\u{01}"])
        )
        let json = try #require(try JSONSerialization.jsonObject(with: Data(event.cloudEventJSON())) as? [String: Any])
        #expect(json["specversion"] as? String == "1.0")
        #expect(json["source"] as? String == "hookgate/stripe")
        #expect(json["time"] as? String == "2023-11-14T22:13:20Z")
        #expect(json["datacontenttype"] as? String == "application/json")
        #expect(json["providereventtype"] as? String == "payment_intent.succeeded")
        let data = try #require(json["data"] as? [String: Any])
        #expect((data["amount"] as? [String: Any])?["currency"] as? String == "USD")
        #expect(data["note"] as? String == "quote \" and \n\u{01}")
    }

    @Test(
        "RFC 3339 formatting",
        arguments: [
            (0.0, "1970-01-01T00:00:00Z"), (951_782_400, "2000-02-29T00:00:00Z"), (1_700_000_000.123, "2023-11-14T22:13:20Z"),
            (-86_400, "1969-12-31T00:00:00Z"), (4_102_444_799, "2099-12-31T23:59:59Z"),
            // Saturated, never trapped: what common parsers read (years 1–9999).
            (99_999_999_999_999, "9999-12-31T23:59:59Z"), (9.223372036854775807e18, "9999-12-31T23:59:59Z"), (1e308, "9999-12-31T23:59:59Z"),
            (-62_135_596_801, "0001-01-01T00:00:00Z"), (-1e308, "0001-01-01T00:00:00Z"), (.infinity, "1970-01-01T00:00:00Z"),
            (.nan, "1970-01-01T00:00:00Z"),
        ])
    func rfc3339(seconds: Double, expected: String) {
        #expect(Timestamp.rfc3339(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test("provider times outside 1970 … 9999 are refused; ids of absurd times saturate")
    func providerTimes() {
        #expect(Timestamp.providerTime(unixSeconds: 1_763_720_100) == Date(timeIntervalSince1970: 1_763_720_100))
        #expect(Timestamp.providerTime(unixSeconds: 0) == Date(timeIntervalSince1970: 0))
        #expect(Timestamp.providerTime(unixSeconds: 253_402_300_799) != nil)
        for seconds: Int64 in [253_402_300_800, 99_999_999_999_999, .max, -1, -62_135_596_801, .min] {
            #expect(Timestamp.providerTime(unixSeconds: seconds) == nil, "\(seconds)")
        }
        #expect(Identifier.make(prefix: "evt_", now: Date(timeIntervalSince1970: 1e308)).count == 30)
        #expect(Identifier.timeComponent(Date(timeIntervalSince1970: .nan)) == Identifier.timeComponent(Date(timeIntervalSince1970: 0)))
    }

    @Test("ids are prefixed, 26 Crockford characters, and sort by time")
    func identifiers() {
        let ids = (0..<1_000).map { _ in Identifier.make(prefix: "evt_") }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.count == 30 && $0.hasPrefix("evt_") })
        let early = Identifier.make(prefix: "evt_", now: Date(timeIntervalSince1970: 1_000_000))
        let late = Identifier.make(prefix: "evt_", now: Date(timeIntervalSince1970: 2_000_000))
        #expect(early < late)
        #expect(late.dropFirst(4).hasPrefix(Identifier.timeComponent(Date(timeIntervalSince1970: 2_000_000))))
    }

    @Test("passthrough types are sanitized and metric labels stay bounded")
    func passthrough() {
        #expect(EventType.passthrough(provider: .stripe, rawType: "issuing_card.created") == "provider.stripe.issuing_card.created")
        #expect(EventType.passthrough(provider: .stripe, rawType: "a b/c\u{0}") == "provider.stripe.a_b_c_")
        #expect(EventType.metricLabel(for: "provider.stripe.whatever.x") == "provider.stripe")
        #expect(EventType.metricLabel(for: "payment.succeeded") == "payment.succeeded")
        #expect(EventType.metricLabel(for: "attacker.chosen") == "other")
    }

    @Test("money needs a three-letter currency")
    func money() {
        #expect(Money(minor: 5, currency: "jpy")?.currency == "JPY")
        #expect(Money(minor: 5, currency: nil) == nil)
        #expect(Money(minor: 5, currency: "dollars") == nil)
    }

    @Test(
        "only well-formed W3C trace contexts are kept",
        arguments: [
            ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", true), ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", true),
            ("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", false), ("00-00000000000000000000000000000000-00f067aa0ba902b7-01", false),
            ("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", false), ("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", false),
            ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\"", false), ("", false), ("00-xyz", false),
        ])
    func traceparent(value: String, valid: Bool) {
        #expect((CanonicalEvent.validTraceparent(value) != nil) == valid)
    }
}
