import Foundation
import HookGateCore

/// The signature headers each provider sends, computed from its published scheme: for `hookgate sign`, the load
/// test and the tests.
public enum ProviderSigning {
    public struct MissingURL: Error, CustomStringConvertible {
        public var description: String { "twilio signs the URL it posts to: give the full URL (public_url + path + query)" }
    }

    /// The headers `provider` would add when posting `body` (to `url`, which Twilio signs) at `timestamp`.
    /// NMI's nonce is random, as NMI's is.
    public static func headers(provider: ProviderKind, body: [UInt8], secret: String, url: String?, timestamp: Int64) throws -> [(String, String)] {
        switch provider {
        case .stripe:
            return [("Stripe-Signature", StripeSigner.signatureHeader(body: body, secret: secret, timestamp: timestamp))]
        case .twilio:
            guard let url else { throw MissingURL() }
            return [("X-Twilio-Signature", TwilioSigner.signature(url: url, body: body, authToken: secret))]
        case .shopify:
            return [("X-Shopify-Hmac-Sha256", ShopifySigner.hmacHeader(body: body, secret: secret))]
        case .woocommerce:
            return [("X-WC-Webhook-Signature", WooCommerceSigner.signature(body: body, secret: secret))]
        case .nmi:
            let nonce = Hex.encode((0..<8).map { _ in UInt8.random(in: 0...255) })
            return [("Webhook-Signature", NMISigner.signatureHeader(body: body, signingKey: secret, nonce: nonce))]
        case .customerio:
            return [
                ("X-CIO-Timestamp", String(timestamp)),
                ("X-CIO-Signature", CustomerIOSigner.signature(body: body, signingKey: secret, timestamp: timestamp)),
            ]
        }
    }
}
