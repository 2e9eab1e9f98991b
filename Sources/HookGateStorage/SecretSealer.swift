import Crypto
import Foundation
import HookGateCore

/// Seals subscription signing secrets for their columns with AES-256-GCM (`storage.encryption_key`), so that a copy
/// of the database (a backup, a replica, a leaked dump) does not hold secrets that sign webhooks as HookGate.
///
/// A sealed value is `sealed:v1:<key id>:<base64 of nonce, ciphertext and tag>`; the subscription id is the
/// authenticated data, so a value copied onto another row does not open. A value without the prefix is a secret
/// stored before there was a key (or with none configured): it is read as it is, and sealed at the next start-up.
public struct SecretSealer: Sendable {
    static let prefix = "sealed:v1:"

    /// Seals new values; nil stores them as they are.
    let current: EncryptionKey?
    /// Current and previous keys by id: every key that may have sealed a stored value.
    private let openers: [String: SymmetricKey]

    public init(current: EncryptionKey? = nil, previous: [EncryptionKey] = []) {
        self.current = current
        self.openers = Dictionary(([current].compactMap { $0 } + previous).map { ($0.id, SymmetricKey(data: $0.bytes)) }) { first, _ in first }
    }

    /// The column value for `secret` on subscription `id`.
    func seal(_ secret: String, id: String) throws -> String {
        guard let current else { return secret }
        let box = try AES.GCM.seal(Array(secret.utf8), using: SymmetricKey(data: current.bytes), authenticating: Array(id.utf8))
        guard let combined = box.combined else { throw StorageError(.unavailable, "AES-GCM produced no sealed box") }
        return Self.prefix + current.id + ":" + combined.base64EncodedString()
    }

    /// The secret a column value holds; throws, naming the subscription and the key, if it cannot be opened.
    func open(_ stored: String, id: String) throws -> String {
        guard stored.hasPrefix(Self.prefix) else { return stored }
        let rest = stored.dropFirst(Self.prefix.count)
        guard let colon = rest.firstIndex(of: ":") else { throw unreadable(id, "it is not a sealed value this build can read") }
        let keyID = String(rest[..<colon])
        guard let key = openers[keyID] else {
            throw unreadable(
                id, "it is sealed with key \(keyID), which is neither storage.encryption_key nor one of storage.previous_encryption_keys")
        }
        guard let combined = Data(base64Encoded: String(rest[rest.index(after: colon)...])),
            let box = try? AES.GCM.SealedBox(combined: combined),
            let plain = try? AES.GCM.open(box, using: key, authenticating: Array(id.utf8))
        else { throw unreadable(id, "it does not open with key \(keyID): the value was altered or moved from another row") }
        return String(decoding: plain, as: UTF8.self)
    }

    /// True when `stored` is not sealed with the current key: written before the key was set, or under a previous
    /// key. Without a current key nothing is resealed.
    func needsSealing(_ stored: String) -> Bool {
        guard let current else { return false }
        return !stored.hasPrefix(Self.prefix + current.id + ":")
    }

    private func unreadable(_ id: String, _ reason: String) -> StorageError {
        StorageError(.unreadableSecret, "subscription \(id)'s signing secret cannot be read: \(reason)")
    }
}
