import Foundation
import HTTPTypes
import HookGateProviders
import HookGateTesting
import NIOCore
import Testing

@testable import HookGateCore

@Suite("Stripe normalization")
struct StripeNormalizationTests {
    let received = Date(timeIntervalSince1970: 1_763_800_000)

    func normalize(_ fixture: String) throws -> Normalization {
        try normalize(body: try Fixtures.buffer("stripe/\(fixture).json"))
    }

    func normalize(body: ByteBuffer) throws -> Normalization {
        let provider = ProviderRegistry.provider(
            for: .init(id: "payments", provider: .stripe, secrets: ["whsec_x"], tolerance: .seconds(300), publicURL: nil, maxBodyBytes: nil))
        return provider.normalize(
            InboundWebhook(sourceID: "payments", headers: [:], body: body, pathAndQuery: "/webhooks/payments", receivedAt: received))
    }

    func single(_ fixture: String) throws -> CanonicalEvent {
        let result = try normalize(fixture)
        #expect(result.events.count == 1)
        return try #require(result.events.first)
    }

    @Test("payment_intent.succeeded → payment.succeeded")
    func paymentSucceeded() throws {
        let result = try normalize("payment_intent.succeeded")
        #expect(result.status == .normalized)
        #expect(result.dedupeKey == "evt_3PZk8sLkdIwHu7ix0VJxJ2aB")
        let event = try #require(result.events.first)
        #expect(event.type == "payment.succeeded")
        #expect(event.subject == "pi_3PZk8sLkdIwHu7ix0Y2fQ1cD")
        #expect(event.sourceID == "payments")
        #expect(event.time == Date(timeIntervalSince1970: 1_763_720_100))
        #expect(event.providerEventID == "evt_3PZk8sLkdIwHu7ix0VJxJ2aB")
        #expect(event.providerEventType == "payment_intent.succeeded")
        #expect(event.id.hasPrefix("evt_") && event.id.count == 30)
        #expect(event.data["payment_id"] == "pi_3PZk8sLkdIwHu7ix0Y2fQ1cD")
        #expect(event.data["amount"] == .object(["minor": 2000, "currency": "USD"]))
        #expect(event.data["customer"] == .object(["id": "cus_QQaZxkH0u4w1Lc", "email": "jenny.rosen@example.com"]))
    }

    @Test("payment_intent.payment_failed → payment.failed with failure and an expanded customer")
    func paymentFailed() throws {
        let event = try single("payment_intent.payment_failed")
        #expect(event.type == "payment.failed")
        #expect(event.data["amount"] == .object(["minor": 5999, "currency": "EUR"]))
        #expect(event.data["failure"] == .object(["code": "insufficient_funds", "message": "Your card has insufficient funds."]))
        #expect(event.data["customer"] == .object(["id": "cus_QQb1Vd8dQwG7Hs", "email": "max@example.de"]))
    }

    @Test("charge.refunded → payment.refunded")
    func refunded() throws {
        let event = try single("charge.refunded")
        #expect(event.type == "payment.refunded")
        #expect(event.subject == "pi_3PZk8sLkdIwHu7ix0Y2fQ1cD")
        #expect(event.data["refund_id"] == "re_3PZk8sLkdIwHu7ix0Kq1rT4s")
        #expect(event.data["amount"] == .object(["minor": 500, "currency": "USD"]))
        #expect(event.data["charge_id"] == "ch_3PZk8sLkdIwHu7ix0w1Yq9pA")
    }

    @Test("charge.dispute.created → payment.disputed, JPY amount in whole yen")
    func disputed() throws {
        let event = try single("charge.dispute.created")
        #expect(event.type == "payment.disputed")
        #expect(event.data["dispute_id"] == "dp_1PZkD5LkdIwHu7ixm0nOpQrS")
        #expect(event.data["reason"] == "fraudulent")
        #expect(event.data["payment_id"] == "pi_3PZkD2LkdIwHu7ix1aBcDeFg")
        #expect(event.data["amount"] == .object(["minor": 150000, "currency": "JPY"]))
    }

    @Test(
        "customer.subscription.* → subscription.*",
        arguments: [
            ("created", "subscription.created", "active"), ("updated", "subscription.updated", "active"),
            ("deleted", "subscription.canceled", "canceled"),
        ])
    func subscriptions(kind: String, type: String, status: String) throws {
        let event = try single("customer.subscription.\(kind)")
        #expect(event.type == type)
        #expect(event.subject == "sub_1PZkE0LkdIwHu7ixT2uV3wX4")
        #expect(event.data["status"] == .string(status))
        #expect(event.data["customer"]?["id"] == "cus_QQaZxkH0u4w1Lc")
        #expect(event.data["current_period_end"] == .string(Timestamp.rfc3339(Date(timeIntervalSince1970: 1_766_323_000))))
    }

    @Test("invoice.payment_failed → subscription.payment_failed (subscription under parent in newer API versions)")
    func invoiceFailed() throws {
        let event = try single("invoice.payment_failed")
        #expect(event.type == "subscription.payment_failed")
        #expect(event.data["subscription_id"] == "sub_1PZkE0LkdIwHu7ixT2uV3wX4")
        #expect(event.data["customer"] == .object(["id": "cus_QQaZxkH0u4w1Lc", "email": "jenny.rosen@example.com"]))
        #expect(event.data["amount"] == .object(["minor": 4900, "currency": "USD"]))
        #expect(event.data["status"] == "open")
    }

    @Test("customer.* → customer.*", arguments: ["created", "updated", "deleted"])
    func customers(kind: String) throws {
        let event = try single("customer.\(kind)")
        #expect(event.type == "customer.\(kind)")
        #expect(event.subject == "cus_QQaZxkH0u4w1Lc")
        #expect(
            event.data["customer"]
                == .object([
                    "id": "cus_QQaZxkH0u4w1Lc", "email": "jenny.rosen@example.com", "phone": "+14155550123", "name": "Jenny Rosen",
                ]))
    }

    @Test("an unmapped type becomes a passthrough and an unrecognized receipt")
    func passthrough() throws {
        let result = try normalize("issuing_card.created")
        #expect(result.status == .unrecognized)
        #expect(result.events.first?.type == "provider.stripe.issuing_card.created")
        #expect(result.events.first?.data == .object(["raw_type": "issuing_card.created"]))
    }

    @Test("an unparseable body is unparsed, keyed by its hash", arguments: ["not json", "{\"object\":\"event\"}", "[1,2]", ""])
    func unparsed(body: String) throws {
        let first = try normalize(body: ByteBuffer(string: body))
        #expect(first.status == .unparsed)
        #expect(first.events.isEmpty)
        #expect(first.dedupeKey.hasPrefix("sha256:"))
        #expect(try normalize(body: ByteBuffer(string: body)).dedupeKey == first.dedupeKey)
    }

    @Test("a field of the wrong type does not make a known event unparsed")
    func lenientFields() throws {
        let body =
            #"{"id":"evt_odd","type":"payment_intent.succeeded","created":"yesterday","data":{"object":{"id":"pi_1","amount":"lots","currency":"usd","customer":42}}}"#
        let result = try normalize(body: ByteBuffer(string: body))
        #expect(result.status == .normalized)
        #expect(result.events.first?.data["amount"] == .null)
        #expect(result.events.first?.time == received)
    }
}
