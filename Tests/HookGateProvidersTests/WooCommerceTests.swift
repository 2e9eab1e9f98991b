import Foundation
import HookGateCore
import HookGateProviders
import HookGateTesting
import Testing

@Suite("WooCommerce")
struct WooCommerceTests {
    typealias Support = ProviderTestSupport

    func woo(_ secrets: [String] = ["my-woo-secret"]) -> any Provider {
        Support.provider(.woocommerce, secrets: secrets)
    }

    static func headers(topic: String, delivery: String = "5f1c0a7e0e9c3f0e5b1d0c2a4e6f8a9b") -> [(String, String)] {
        let parts = topic.split(separator: ".")
        return [
            ("X-WC-Webhook-Source", "https://shop.example.com/"), ("X-WC-Webhook-Topic", topic),
            ("X-WC-Webhook-Resource", String(parts[0])), ("X-WC-Webhook-Event", String(parts[1])), ("X-WC-Webhook-ID", "12"),
            ("X-WC-Webhook-Delivery-ID", delivery),
        ]
    }

    // PROVIDERS.md §4.2: the SDK vector (empty secret) and the DERIVED one.
    @Test(
        "published vectors",
        arguments: [
            ("", "secret", "GBDo00G55h6IiV+6CxqivQPLbI//KzaOZm747971tPs="),
            ("my-woo-secret", #"{"id":727,"status":"processing","currency":"USD","total":"29.35"}"#, "dekTTd+tSeP6hiIPLbQEM8J4l8SVATN0ZY3BKtKDcNE="),
        ])
    func vectors(secret: String, body: String, signature: String) {
        #expect(WooCommerceSigner.signature(body: Array(body.utf8), secret: secret) == signature)
        #expect(woo([secret]).verify(Support.webhook(body, headers: [("X-WC-Webhook-Signature", signature)]), now: Support.received))
        #expect(!woo(["x"]).verify(Support.webhook(body, headers: [("X-WC-Webhook-Signature", signature)]), now: Support.received))
    }

    // DERIVED (Python): WooCommerce signs with wp_specialchars_decode(secret); key "a&b'c", body {"id":727}.
    @Test("a secret configured in its HTML-entity-encoded form still verifies")
    func entityEncodedSecret() {
        let webhook = Support.webhook(#"{"id":727}"#, headers: [("X-WC-Webhook-Signature", "b1C4XzfsGAx3RSvpnndrqKHZTZSeL7swIFD15UxupkI=")])
        #expect(woo(["a&b'c"]).verify(webhook, now: Support.received))
        #expect(woo(["a&amp;b&#039;c"]).verify(webhook, now: Support.received))
        #expect(!woo(["a&amp;b"]).verify(webhook, now: Support.received))
    }

    @Test("the creation ping is answered without a signature; nothing else is")
    func ping() {
        #expect(woo().unsignedReply(to: Support.webhook("webhook_id=12")) == Array(#"{"status":"ping"}"#.utf8))
        #expect(woo().unsignedReply(to: Support.webhook("webhook_id=12", headers: [("X-WC-Webhook-Topic", "order.created")])) == nil)
        #expect(woo().unsignedReply(to: Support.webhook("webhook_id=12", headers: [("X-WC-Webhook-Signature", "x")])) == nil)
        #expect(woo().unsignedReply(to: Support.webhook("webhook_id=")) == nil)
        #expect(woo().unsignedReply(to: Support.webhook("webhook_id=12&x=1")) == nil)
        #expect(woo().unsignedReply(to: Support.webhook(#"{"id":727}"#)) == nil)
        #expect(!woo().verify(Support.webhook("webhook_id=12"), now: Support.received))
    }

    @Test(
        "order status decides the type on order.updated",
        arguments: [
            ("woocommerce/order-processing.json", "order.paid", "paid", "processing"),
            ("woocommerce/order-completed.json", "order.fulfilled", "fulfilled", "completed"),
            ("woocommerce/order-cancelled.json", "order.cancelled", "cancelled", "cancelled"),
            ("woocommerce/order-refunded.json", "order.refunded", "refunded", "refunded"),
            ("woocommerce/order-pending.json", "order.updated", "open", "pending"),
        ])
    func derivedTypes(fixture: String, type: String, status: String, providerStatus: String) throws {
        let (result, event) = try Support.single(woo(), fixture: fixture, headers: Self.headers(topic: "order.updated"))
        #expect(result.status == .normalized)
        #expect(event.type == type)
        #expect(event.providerEventType == "order.updated")
        #expect(event.data["status"] == .string(status))
        #expect(event.data["provider_status"] == .string(providerStatus))
    }

    @Test("an order: ids as strings, decimal total, customer, modification time and identity")
    func order() throws {
        let (result, event) = try Support.single(woo(), fixture: "woocommerce/order-processing.json", headers: Self.headers(topic: "order.updated"))
        #expect(event.subject == "727")
        #expect(event.providerEventID == "5f1c0a7e0e9c3f0e5b1d0c2a4e6f8a9b")
        #expect(event.time == Timestamp.parse("2026-11-22T15:05:31Z"))
        #expect(event.data["order_id"] == "727")
        #expect(event.data["order_number"] == "727")
        #expect(event.data["total"] == .object(["minor": 2935, "currency": "USD"]))
        #expect(event.data["customer"] == .object(["id": "12", "email": "john.doe@example.com"]))
        #expect(result.dedupeKey == "https://shop.example.com/|order.updated|727|2026-11-22T15:05:31")
        // The delivery id changes on every send; the same change sent again is still a duplicate.
        let (again, _) = try Support.single(
            woo(), fixture: "woocommerce/order-processing.json", headers: Self.headers(topic: "order.updated", delivery: "another"))
        #expect(again.dedupeKey == result.dedupeKey)
    }

    @Test("order.created stays created; refunds carry their amount; guests have no customer id; JPY has no minor digits")
    func variants() throws {
        let (_, created) = try Support.single(woo(), fixture: "woocommerce/order-processing.json", headers: Self.headers(topic: "order.created"))
        #expect(created.type == "order.created")
        #expect(created.data["status"] == "paid")
        let (_, refunded) = try Support.single(woo(), fixture: "woocommerce/order-refunded.json", headers: Self.headers(topic: "order.updated"))
        #expect(refunded.data["refund"] == .object(["id": "731", "amount": .object(["minor": 2935, "currency": "USD"])]))
        let (_, guest) = try Support.single(woo(), fixture: "woocommerce/order-guest-jpy.json", headers: Self.headers(topic: "order.updated"))
        #expect(guest.data["total"] == .object(["minor": 4800, "currency": "JPY"]))
        #expect(guest.data["customer"] == .object(["id": .null, "email": "john.doe@example.com"]))
    }

    @Test("order.deleted → order.cancelled, identified by its delivery")
    func deleted() throws {
        let (result, event) = try Support.single(woo(), fixture: "woocommerce/order-deleted.json", headers: Self.headers(topic: "order.deleted"))
        #expect(event.type == "order.cancelled")
        #expect(event.data["provider_status"] == "deleted")
        #expect(event.data["total"] == .null)
        #expect(result.dedupeKey == "https://shop.example.com/|order.deleted|727|5f1c0a7e0e9c3f0e5b1d0c2a4e6f8a9b")
    }

    @Test("customer.* → customer.*; products pass through")
    func customersAndProducts() throws {
        for topic in ["customer.created", "customer.updated"] {
            let (_, event) = try Support.single(woo(), fixture: "woocommerce/customer.json", headers: Self.headers(topic: topic))
            #expect(event.type == topic)
            #expect(event.data["customer"] == .object(["id": "25", "email": "john.doe@example.com", "phone": "(555) 555-5555", "name": "John Doe"]))
        }
        let (product, event) = try Support.single(woo(), fixture: "woocommerce/product.json", headers: Self.headers(topic: "product.created"))
        #expect(product.status == .unrecognized)
        #expect(event.type == "provider.woocommerce.product.created")
    }

    @Test("thousands of mutated signatures and bodies never crash and never verify")
    func fuzz() throws {
        let body = try Fixtures.bytes("woocommerce/order-processing.json")
        let headers =
            Self.headers(topic: "order.updated") + [("X-WC-Webhook-Signature", WooCommerceSigner.signature(body: body, secret: "my-woo-secret"))]
        let result = Support.mutationFuzz(woo(), body: body, headers: headers, signed: ["X-WC-Webhook-Signature"])
        #expect(result.forgedBodies == 0)
        #expect(result.verified < 100)
    }
}
