import Crypto
import Foundation

/// A 256-bit key that seals subscription signing secrets in storage (`storage.encryption_key`). It prints as its id,
/// never as the key, even inside a printed configuration.
public struct EncryptionKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The key itself: 32 bytes.
    public let bytes: [UInt8]

    /// A short public name of the key, stored beside each value it sealed, so that a value names the key that opens
    /// it and a rotation knows which rows are still sealed with an old one. A hash prefix: it reveals nothing usable.
    public let id: String

    /// `text` is 32 bytes in base64, as `openssl rand -base64 32` prints.
    public init(base64 text: String) throws(ConfigurationError.Reason) {
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespaces)) else {
            throw .init("expected 32 random bytes in base64, as `openssl rand -base64 32` prints")
        }
        guard data.count == 32 else {
            throw .init("expected 32 bytes in base64 (`openssl rand -base64 32`); this one decodes to \(data.count)")
        }
        self.init(bytes: Array(data))
    }

    /// `bytes` must be 32 bytes long.
    public init(bytes: [UInt8]) {
        precondition(bytes.count == 32, "an encryption key is 32 bytes")
        self.bytes = bytes
        var hash = SHA256()
        hash.update(data: Array("hookgate encryption key id".utf8))
        hash.update(data: bytes)
        self.id = Hex.encode(hash.finalize().prefix(4))
    }

    public var description: String { "key \(id)" }
    public var debugDescription: String { description }
}
