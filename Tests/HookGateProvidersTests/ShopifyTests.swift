import Foundation
import HookGateCore
import HookGateProviders
import HookGateTesting
import Testing

@Suite("Shopify")
struct ShopifyTests {
    typealias Support = ProviderTestSupport

    func shopify(_ secrets: [String] = ["test_secret_key"]) -> any Provider {
        Support.provider(.shopify, secrets: secrets)
    }

    static func headers(topic: String, webhookID: String? = "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043") -> [(String, String)] {
        var headers = [
            ("X-Shopify-Topic", topic), ("X-Shopify-Shop-Domain", "cool-store.myshopify.com"), ("X-Shopify-API-Version", "2026-04"),
            ("X-Shopify-Triggered-At", "2026-11-22T15:30:00.123Z"), ("X-Shopify-Event-Id", "7b8c9d0a-1234-5678-90ab-cdef12345678"),
        ]
        if let webhookID { headers.append(("X-Shopify-Webhook-Id", webhookID)) }
        return headers
    }

    // shopify-app-js validate.test.ts (PROVIDERS.md §3.2).
    @Test("SDK vector, header name in any case, Events header")
    func sdkVector() {
        let body = #"{"foo": "bar"}"#
        let hmac = "B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g="
        #expect(ShopifySigner.hmacHeader(body: Array(body.utf8), secret: "test_secret_key") == hmac)
        for name in ["X-Shopify-Hmac-Sha256", "X-Shopify-Hmac-SHA256", "x-shopify-hmac-sha256", "Shopify-Hmac-Sha256"] {
            #expect(shopify().verify(Support.webhook(body, headers: [(name, hmac)]), now: Support.received), "\(name)")
        }
    }

    @Test("missing, hex instead of base64, empty body, wrong or rotated secret")
    func rejections() {
        let body = #"{"foo": "bar"}"#
        let hmac = "B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g="
        #expect(!shopify().verify(Support.webhook(body), now: Support.received))
        #expect(
            !shopify().verify(
                Support.webhook(body, headers: [("X-Shopify-Hmac-Sha256", "076ded5cdebcd6067490a2165ab82dcc113d5d20e8e7269abbac1f9a1bb76bb8")]),
                now: Support.received))
        #expect(
            !shopify().verify(
                Support.webhook("", headers: [("X-Shopify-Hmac-Sha256", ShopifySigner.hmacHeader(body: [], secret: "test_secret_key"))]),
                now: Support.received))
        #expect(!shopify(["other"]).verify(Support.webhook(body, headers: [("X-Shopify-Hmac-Sha256", hmac)]), now: Support.received))
        #expect(!shopify().verify(Support.webhook(#"{"foo":"bar"}"#, headers: [("X-Shopify-Hmac-Sha256", hmac)]), now: Support.received))
        #expect(
            shopify(["new_secret", "test_secret_key"]).verify(
                Support.webhook(body, headers: [("X-Shopify-Hmac-Sha256", hmac)]), now: Support.received))
    }

    @Test(
        "orders/* topics map to order.*",
        arguments: [
            ("orders/create", "order.created"), ("orders/updated", "order.updated"), ("orders/paid", "order.paid"),
            ("orders/fulfilled", "order.fulfilled"), ("orders/cancelled", "order.cancelled"),
        ])
    func orderTopics(topic: String, type: String) throws {
        let (result, event) = try Support.single(shopify(), fixture: "shopify/order.json", headers: Self.headers(topic: topic))
        #expect(result.status == .normalized)
        #expect(event.type == type)
        #expect(event.providerEventType == topic)
    }

    @Test("an order: ids as strings, decimal total, canonical and provider status, triggered-at time")
    func order() throws {
        let (result, event) = try Support.single(shopify(), fixture: "shopify/order.json", headers: Self.headers(topic: "orders/paid"))
        #expect(result.dedupeKey == "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")
        #expect(event.providerEventID == "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")
        #expect(event.subject == "820982911946154508")
        #expect(event.time == Timestamp.parse("2026-11-22T15:30:00.123Z"))
        #expect(event.data["order_id"] == "820982911946154508")
        #expect(event.data["order_number"] == "1234")
        #expect(event.data["status"] == "paid")
        #expect(event.data["provider_status"] == "paid")
        #expect(event.data["total"] == .object(["minor": 40300, "currency": "USD"]))
        #expect(event.data["customer"] == .object(["id": "207119551", "email": "jon@example.com"]))
        #expect(event.data["shop"] == "cool-store.myshopify.com")
    }

    @Test(
        "JPY has no minor digits, KWD has three",
        arguments: [
            ("shopify/order-jpy.json", Int64(15_800), "JPY", "open"), ("shopify/order-kwd.json", Int64(12_750), "KWD", "fulfilled"),
            ("shopify/order-cancelled.json", Int64(40_300), "USD", "cancelled"),
        ])
    func currencies(fixture: String, minor: Int64, currency: String, status: String) throws {
        let (_, event) = try Support.single(shopify(), fixture: fixture, headers: Self.headers(topic: "orders/updated"))
        #expect(event.data["total"] == .object(["minor": .int(minor), "currency": .string(currency)]))
        #expect(event.data["status"] == .string(status))
    }

    @Test("refunds/create → order.refunded with the refund's successful transactions added up")
    func refund() throws {
        let (_, event) = try Support.single(shopify(), fixture: "shopify/refund.json", headers: Self.headers(topic: "refunds/create"))
        #expect(event.type == "order.refunded")
        #expect(event.subject == "820982911946154508")
        #expect(event.data["status"] == "refunded")
        #expect(event.data["refund"] == .object(["id": "929361464", "amount": .object(["minor": 20400, "currency": "USD"])]))
    }

    @Test("the mandatory privacy topics → privacy.*, the customer's id, email and phone in data.customer")
    func privacy() throws {
        let (_, redact) = try Support.single(shopify(), fixture: "shopify/customers-redact.json", headers: Self.headers(topic: "customers/redact"))
        #expect(redact.type == "privacy.customer_redact_requested" && redact.subject == "191167")
        #expect(redact.data["customer"] == .object(["id": "191167", "email": "John@Example.com", "phone": "555-625-1199"]))
        #expect(redact.data["orders"] == .array(["299938", "280263", "220458"]) && redact.data["shop_id"] == "954889")
        let (_, request) = try Support.single(
            shopify(), fixture: "shopify/customers-data-request.json", headers: Self.headers(topic: "customers/data_request"))
        #expect(request.type == "privacy.customer_data_requested" && request.subject == "191167")
        #expect(request.data["data_request_id"] == "9999" && request.data["shop"] == "cool-store.myshopify.com")
        #expect(request.data["customer"] == .object(["id": "191167", "email": "john@example.com", "phone": "555-625-1199"]))
        let (_, shop) = try Support.single(shopify(), fixture: "shopify/shop-redact.json", headers: Self.headers(topic: "shop/redact"))
        #expect(shop.type == "privacy.shop_redact_requested" && shop.subject == "954889")
        #expect(shop.data["shop"] == "cool-store.myshopify.com" && shop.data["customer"] == nil)
    }

    @Test(
        "customers/* → customer.*",
        arguments: [
            ("customers/create", "customer.created", "shopify/customer.json"), ("customers/update", "customer.updated", "shopify/customer.json"),
            ("customers/delete", "customer.deleted", "shopify/customer-deleted.json"),
        ])
    func customers(topic: String, type: String, fixture: String) throws {
        let (_, event) = try Support.single(shopify(), fixture: fixture, headers: Self.headers(topic: topic))
        #expect(event.type == type)
        #expect(event.subject == "207119551")
        if type == "customer.deleted" {
            #expect(event.data["customer"] == .object(["id": "207119551", "email": .null, "phone": .null, "name": .null]))
        } else {
            #expect(
                event.data["customer"]
                    == .object(["id": "207119551", "email": "bob.norman@mail.example.com", "phone": "+16136120707", "name": "Bob Norman"]))
        }
    }

    @Test("checkouts/* → checkout.*; disputes/create → payment.disputed")
    func checkoutsAndDisputes() throws {
        for (topic, type) in [("checkouts/create", "checkout.created"), ("checkouts/update", "checkout.updated")] {
            let (_, event) = try Support.single(shopify(), fixture: "shopify/checkout.json", headers: Self.headers(topic: topic))
            #expect(event.type == type)
            #expect(event.data["checkout_id"] == "981820079255243537")
            #expect(event.data["total"] == .object(["minor": 39800, "currency": "EUR"]))
            #expect(event.data["customer"] == .object(["id": "207119551", "email": "example@email.com"]))
        }
        let (_, dispute) = try Support.single(shopify(), fixture: "shopify/dispute.json", headers: Self.headers(topic: "disputes/create"))
        #expect(dispute.type == "payment.disputed")
        #expect(dispute.data["dispute_id"] == "1052608616")
        #expect(dispute.data["payment_id"] == "820982911946154508")
        #expect(dispute.data["reason"] == "fraudulent")
        #expect(dispute.data["amount"] == .object(["minor": 10000, "currency": "USD"]))
    }

    @Test("other topics pass through; identity falls back to the event id, then the body")
    func passthroughAndIdentity() throws {
        let (product, event) = try Support.single(shopify(), fixture: "shopify/product.json", headers: Self.headers(topic: "products/create"))
        #expect(product.status == .unrecognized)
        #expect(event.type == "provider.shopify.products_create")
        #expect(event.data == .object(["raw_type": "products/create"]))
        let (noWebhookID, _) = try Support.single(
            shopify(), fixture: "shopify/order.json", headers: Self.headers(topic: "orders/paid", webhookID: nil))
        #expect(noWebhookID.dedupeKey == "event:7b8c9d0a-1234-5678-90ab-cdef12345678:orders/paid")
        let bare = shopify().normalize(Support.webhook(try Fixtures.bytes("shopify/order.json")))
        #expect(bare.dedupeKey.hasPrefix("sha256:"))
        #expect(shopify().normalize(Support.webhook("[1,2", headers: Self.headers(topic: "orders/paid"))).status == .unparsed)
    }

    @Test("thousands of mutated signatures and bodies never crash and never verify")
    func fuzz() throws {
        let body = try Fixtures.bytes("shopify/order.json")
        let headers =
            Self.headers(topic: "orders/paid") + [("X-Shopify-Hmac-Sha256", ShopifySigner.hmacHeader(body: body, secret: "test_secret_key"))]
        let result = Support.mutationFuzz(shopify(), body: body, headers: headers, signed: ["X-Shopify-Hmac-Sha256"])
        #expect(result.forgedBodies == 0)
        #expect(result.verified < 100)
    }
}
