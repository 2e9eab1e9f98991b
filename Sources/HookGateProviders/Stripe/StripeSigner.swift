import Crypto
import HookGateCore

/// Produces the `Stripe-Signature` header Stripe would send, for `hookgate sign`, tests and the load test.
public enum StripeSigner {
    public static func signatureHeader<Body: Sequence>(body: Body, secret: String, timestamp: Int64) -> String
    where Body.Element == UInt8 {
        "t=\(timestamp),v1=" + Hex.encode(HMACKeys.mac(SHA256.self, secret: secret, message: Array("\(timestamp).".utf8) + Array(body)))
    }
}
