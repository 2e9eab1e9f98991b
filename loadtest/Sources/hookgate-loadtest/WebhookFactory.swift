import Foundation
import HookGateCore
import HookGateProviders

/// Realistic, uniquely identified and correctly signed webhooks of one provider, padded to about `payloadBytes`.
struct WebhookFactory: Sendable {
    struct Webhook {
        let body: [UInt8]
        let headers: [(String, String)]
    }

    let provider: ProviderKind
    let secret: String
    /// The URL the provider signs (Twilio): the gateway's address and path, matching the source's public_url.
    let url: String
    let payloadBytes: Int

    /// A webhook whose provider identity (event id, webhook id, message SID…) contains `id`, so each is stored anew.
    func make(id: String) -> Webhook {
        let now = Int64(Date().timeIntervalSince1970)
        let (body, extraHeaders) = content(id: id, now: now)
        let signature = (try? ProviderSigning.headers(provider: provider, body: body, secret: secret, url: url, timestamp: now)) ?? []
        let contentType = provider == .twilio ? "application/x-www-form-urlencoded" : "application/json"
        return Webhook(body: body, headers: [("Content-Type", contentType)] + extraHeaders + signature)
    }

    private func content(id: String, now: Int64) -> ([UInt8], [(String, String)]) {
        // Shopify and WooCommerce resources have integer ids.
        let number = id.hashValue & Int.max
        switch provider {
        case .stripe:
            return (
                paddedJSON(
                    ##"{"id":"evt_\##(id)","object":"event","api_version":"2024-06-20","created":\##(now),"type":"payment_intent.succeeded","livemode":false,"pending_webhooks":1,"request":{"id":"req_\##(id)","idempotency_key":null},"data":{"object":{"id":"pi_\##(id)","object":"payment_intent","amount":2000,"amount_received":2000,"currency":"usd","customer":"cus_QQaZxkH0u4w1Lc","receipt_email":"jenny.rosen@example.com","status":"succeeded","payment_method_types":["card"],"metadata":{"note":"##,
                    ##"}}}}"##), []
            )
        case .twilio:
            return (
                padded(
                    "ToCountry=US&ToState=CA&SmsMessageSid=SM\(id)&NumMedia=0&ToCity=&FromZip=&SmsSid=SM\(id)&FromState=NY&SmsStatus=received&FromCity=&FromCountry=US&To=%2B15005550006&MessagingServiceSid=MG9752274e9e519418a7406176694466fa&ToZip=&NumSegments=1&MessageSid=SM\(id)&AccountSid=AC00000000000000000000000000000000&From=%2B15551234567&ApiVersion=2010-04-01&Body=",
                    ""), []
            )
        case .shopify:
            return (
                paddedJSON(
                    ##"{"id":\##(number),"admin_graphql_api_id":"gid://shopify/Order/1","name":"#1001","order_number":1001,"email":"customer@example.com","currency":"USD","total_price":"49.00","financial_status":"paid","fulfillment_status":null,"cancelled_at":null,"customer":{"id":207119551,"email":"customer@example.com"},"line_items":[{"id":466157049,"title":"Hoodie","quantity":1,"price":"49.00"}],"note":"##,
                    ##"}"##),
                [
                    ("X-Shopify-Topic", "orders/paid"), ("X-Shopify-Shop-Domain", "cool-store.myshopify.com"), ("X-Shopify-API-Version", "2026-04"),
                    ("X-Shopify-Webhook-Id", "wh-\(id)"), ("X-Shopify-Triggered-At", Timestamp.rfc3339(Date(), milliseconds: true)),
                ]
            )
        case .woocommerce:
            return (
                paddedJSON(
                    ##"{"id":\##(number),"number":"\##(number)","status":"processing","currency":"USD","total":"29.35","customer_id":12,"date_modified_gmt":"2026-11-22T10:00:00","billing":{"email":"john@example.com","phone":"+15551234567"},"payment_method":"stripe","transaction_id":"pi_123","line_items":[{"id":315,"product_id":93,"quantity":2,"total":"24.00"}],"refunds":[],"customer_note":"##,
                    ##"}"##),
                [
                    ("X-WC-Webhook-Source", "https://shop.example.com/"), ("X-WC-Webhook-Topic", "order.updated"), ("X-WC-Webhook-Resource", "order"),
                    ("X-WC-Webhook-Event", "updated"), ("X-WC-Webhook-ID", "12"), ("X-WC-Webhook-Delivery-ID", id),
                ]
            )
        case .nmi:
            return (
                paddedJSON(
                    ##"{"event_id":"\##(id)","event_type":"transaction.sale.success","event_body":{"merchant":{"id":"1234","name":"Test Account"},"features":{"is_test_mode":true},"transaction_id":"\##(id)","transaction_type":"cc","condition":"pendingsettlement","order_id":"1005","currency":"USD","requested_amount":"54.04","billing_address":{"first_name":"Jessica","last_name":"Jones","email":"someone@example.com"},"card":{"cc_number":"543111******1111","cc_exp":"1025"},"action":{"amount":"54.04","action_type":"sale","date":"20200406175755","success":"1","response_text":"SUCCESS","response_code":"100"},"order_description":"##,
                    ##"}}"##), []
            )
        case .customerio:
            return (
                paddedJSON(
                    ##"{"event_id":"\##(id)","object_type":"email","metric":"delivered","timestamp":\##(now),"data":{"action_id":42,"broadcast_id":9,"customer_id":"0200000001","delivery_id":"RPILAgUBcRhIBqSfeiIwdIYJKxTY","identifiers":{"id":"42","email":"test@example.com","cio_id":"d9c106000001"},"recipient":"test@example.com","subject":"##,
                    ##"}}"##), []
            )
        }
    }

    /// `head` + filler + `tail`, the filler sized so the whole is about `payloadBytes`.
    private func padded(_ head: String, _ tail: String) -> [UInt8] {
        let filler = max(0, payloadBytes - head.utf8.count - tail.utf8.count)
        return Array(head.utf8) + Array(repeating: UInt8(ascii: "x"), count: filler) + Array(tail.utf8)
    }

    /// A JSON document whose `head` ends with a member name and colon: the filler is that member's string value.
    private func paddedJSON(_ head: String, _ tail: String) -> [UInt8] {
        padded(head + "\"", "\"" + tail)
    }
}
