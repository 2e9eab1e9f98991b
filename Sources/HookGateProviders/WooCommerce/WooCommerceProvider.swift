import Crypto
import Foundation
import HTTPTypes
import HookGateCore
import NIOCore

/// WooCommerce: `X-WC-Webhook-Signature`, base64 HMAC-SHA256 of the raw body with the webhook's secret.
struct WooCommerceProvider: Provider {
    let sourceID: String
    let keys: HMACKeys

    init(sourceID: String, secrets: [String]) {
        self.sourceID = sourceID
        // WooCommerce signs with the secret HTML-entity-decoded; a secret copied from its stored form (`&amp;`)
        // verifies too.
        self.keys = HMACKeys(Array(Set(secrets + secrets.map(Self.decodingEntities))))
    }

    var kind: ProviderKind { .woocommerce }

    private static let pingReply = Array(#"{"status":"ping"}"#.utf8)

    /// The creation ping: body `webhook_id=<digits>` and none of the `X-WC-Webhook-*` headers (so no signature).
    /// WooCommerce keeps the webhook pending unless the answer is exactly 200.
    func unsignedReply(to webhook: InboundWebhook) -> [UInt8]? {
        guard webhook.headers[.wcSignature] == nil, webhook.headers[.wcTopic] == nil else { return nil }
        let body = webhook.body.readableBytesView
        let prefix = "webhook_id=".utf8
        guard body.count > prefix.count, body.count <= prefix.count + 20, body.starts(with: prefix),
            body.dropFirst(prefix.count).allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        return Self.pingReply
    }

    func verify(_ webhook: InboundWebhook, now: Date) -> Bool {
        guard let header = webhook.headers[.wcSignature], let signature = Base64.decode(header) else { return false }
        return keys.verify(SHA256.self, signatures: [signature]) { $0.update(data: webhook.body.readableBytesView) }
    }

    func normalize(_ webhook: InboundWebhook) -> Normalization {
        WooCommerceNormalizer(sourceID: sourceID).normalize(webhook)
    }

    /// `wp_specialchars_decode($secret, ENT_QUOTES)`: the five entities WordPress encodes.
    static func decodingEntities(_ secret: String) -> String {
        var text = secret
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#039;", "'"), ("&#39;", "'"), ("&amp;", "&")] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return text
    }
}

extension HTTPField.Name {
    static let wcSignature = Self("X-WC-Webhook-Signature")!
    static let wcTopic = Self("X-WC-Webhook-Topic")!
    static let wcSource = Self("X-WC-Webhook-Source")!
    static let wcDeliveryID = Self("X-WC-Webhook-Delivery-ID")!
}

/// Produces the `X-WC-Webhook-Signature` WooCommerce would send, for `hookgate sign`, tests and the load test.
public enum WooCommerceSigner {
    public static func signature(body: [UInt8], secret: String) -> String {
        Base64.encode(HMACKeys.mac(SHA256.self, secret: secret, message: body))
    }
}
