import Crypto
import Foundation

/// Standard Webhooks signing (PROVIDERS.md §7): `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`, one entry
/// per secret, space-separated, so a consumer can rotate without downtime.
public enum WebhookSignature {
    /// The HMAC key of a `whsec_…` secret: the base64 after the prefix (padding optional); a secret that is not
    /// base64 is used as its UTF-8 bytes.
    public static func key(_ secret: String) -> SymmetricKey {
        let encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
        let padded = encoded + String(repeating: "=", count: (4 - encoded.utf8.count % 4) % 4)
        if let data = Data(base64Encoded: padded), !data.isEmpty { return SymmetricKey(data: data) }
        return SymmetricKey(data: Array(secret.utf8))
    }

    /// The `webhook-signature` header value for `body`, signed with every secret in order.
    public static func header<Body: DataProtocol>(id: String, timestamp: Int64, body: Body, secrets: [String]) -> String {
        secrets.map { secret in
            var hmac = HMAC<SHA256>(key: key(secret))
            hmac.update(data: Array("\(id).\(timestamp).".utf8))
            hmac.update(data: body)
            return "v1," + Data(hmac.finalize()).base64EncodedString()
        }.joined(separator: " ")
    }

    /// A new subscription secret: `whsec_` + base64 of 32 random bytes.
    public static func generateSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return "whsec_" + Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }).base64EncodedString()
    }
}
