import Crypto

/// A source's secrets, prepared once as HMAC keys. Any one of them verifies (rotation, DESIGN.md §5).
struct HMACKeys: Sendable {
    private let keys: [SymmetricKey]

    init(_ secrets: [String]) {
        keys = secrets.map { SymmetricKey(data: Array($0.utf8)) }
    }

    /// True when one key's HMAC of the message equals one of `signatures`. Every comparison is constant-time, so
    /// the answer's timing says nothing about how much of a forged signature was right.
    func verify<H: HashFunction>(_ hash: H.Type, signatures: [[UInt8]], message: (inout HMAC<H>) -> Void) -> Bool {
        guard !signatures.isEmpty else { return false }
        for key in keys {
            var hmac = HMAC<H>(key: key)
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
