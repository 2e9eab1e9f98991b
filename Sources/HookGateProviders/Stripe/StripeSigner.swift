import Crypto
import HookGateCore

/// Produces the `Stripe-Signature` header Stripe would send, for `hookgate sign`, tests and the load test.
public enum StripeSigner {
    public static func signatureHeader<Body: Sequence>(body: Body, secret: String, timestamp: Int64) -> String
    where Body.Element == UInt8 {
        var hmac = HMAC<SHA256>(key: SymmetricKey(data: Array(secret.utf8)))
        hmac.update(data: Array("\(timestamp).".utf8))
        hmac.update(data: Array(body))
        return "t=\(timestamp),v1=" + Hex.encode(hmac.finalize())
    }
}
