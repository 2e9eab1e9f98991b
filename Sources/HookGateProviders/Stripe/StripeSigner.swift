import Crypto
import HookGateCore

/// Produces the `Stripe-Signature` header Stripe would send, for `hookgate sign`, tests and the load test.
public enum StripeSigner {
    public static func signatureHeader(body: [UInt8], secret: String, timestamp: Int64) -> String {
        "t=\(timestamp),v1=" + Hex.encode(HMACKeys.mac(SHA256.self, secret: secret, message: Array("\(timestamp).".utf8) + body))
    }
}
