import Crypto
import Foundation
import HTTPTypes
import HookGateCore
import NIOCore

/// Shopify: `X-Shopify-Hmac-Sha256`, base64 HMAC-SHA256 of the raw body with the app's client secret.
struct ShopifyProvider: Provider {
    let sourceID: String
    let keys: HMACKeys

    init(sourceID: String, secrets: [String]) {
        self.sourceID = sourceID
        self.keys = HMACKeys(secrets)
    }

    var kind: ProviderKind { .shopify }

    func verify(_ webhook: InboundWebhook, now: Date) -> Bool {
        // HTTPFields looks names up case-insensitively; the newer Events deliveries drop the `X-`.
        guard webhook.body.readableBytes > 0,
            let header = webhook.headers[.shopifyHmac] ?? webhook.headers[.shopifyEventsHmac], let signature = Base64.decode(header)
        else { return false }
        return keys.verify(SHA256.self, signatures: [signature]) { $0.update(data: webhook.body.readableBytesView) }
    }

    func normalize(_ webhook: InboundWebhook) -> Normalization {
        ShopifyNormalizer(sourceID: sourceID).normalize(webhook)
    }
}

extension HTTPField.Name {
    static let shopifyHmac = Self("X-Shopify-Hmac-Sha256")!
    static let shopifyEventsHmac = Self("Shopify-Hmac-Sha256")!
    static let shopifyTopic = Self("X-Shopify-Topic")!
    static let shopifyShopDomain = Self("X-Shopify-Shop-Domain")!
    static let shopifyWebhookID = Self("X-Shopify-Webhook-Id")!
    static let shopifyEventID = Self("X-Shopify-Event-Id")!
    static let shopifyTriggeredAt = Self("X-Shopify-Triggered-At")!
}

/// Produces the `X-Shopify-Hmac-Sha256` Shopify would send, for `hookgate sign`, tests and the load test.
public enum ShopifySigner {
    public static func hmacHeader(body: [UInt8], secret: String) -> String {
        Base64.encode(HMACKeys.mac(SHA256.self, secret: secret, message: body))
    }
}
