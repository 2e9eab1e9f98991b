import Crypto

/// A source's secrets, prepared once as keyed HMAC states. Any one of them verifies (rotation, DESIGN.md §5).
///
/// Keying an HMAC hashes the key's inner and outer pads; doing that once per secret instead of once per request
/// took 1 % of the gateway's CPU off the ingest path. A verification copies the keyed state and feeds it the message.
struct HMACKeys: Sendable {
    private let sha256: [HMAC<SHA256>]
    private let sha1: [HMAC<Insecure.SHA1>]

    init(_ secrets: [String]) {
        let keys = secrets.map { SymmetricKey(data: Array($0.utf8)) }
        sha256 = keys.map { HMAC<SHA256>(key: $0) }
        sha1 = keys.map { HMAC<Insecure.SHA1>(key: $0) }
    }

    /// True when one key's HMAC-SHA256 of the message equals one of `signatures`.
    func verify(_ hash: SHA256.Type, signatures: [[UInt8]], message: (inout HMAC<SHA256>) -> Void) -> Bool {
        Self.matches(sha256, signatures: signatures, message: message)
    }

    /// True when one key's HMAC-SHA1 of the message equals one of `signatures` (Twilio's default).
    func verify(_ hash: Insecure.SHA1.Type, signatures: [[UInt8]], message: (inout HMAC<Insecure.SHA1>) -> Void) -> Bool {
        Self.matches(sha1, signatures: signatures, message: message)
    }

    /// Every comparison is constant-time, so the answer's timing says nothing about how much of a forged signature
    /// was right.
    private static func matches<H: HashFunction>(_ keyed: [HMAC<H>], signatures: [[UInt8]], message: (inout HMAC<H>) -> Void) -> Bool {
        guard !signatures.isEmpty else { return false }
        for state in keyed {
            var hmac = state
            message(&hmac)
            let expected = hmac.finalize()
            for candidate in signatures where expected == candidate {
                return true
            }
        }
        return false
    }

    /// One HMAC of `message` with a raw secret, for the signers.
    static func mac<H: HashFunction>(_ hash: H.Type, secret: String, message: [UInt8]) -> [UInt8] {
        Array(HMAC<H>.authenticationCode(for: message, using: SymmetricKey(data: Array(secret.utf8))))
    }
}
