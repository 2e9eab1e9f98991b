import Crypto
import NIOCore
import NIOFoundationCompat

/// What a verified webhook becomes: how it is stored, what identifies it, and its canonical events.
public struct Normalization: Sendable {
    /// The receipt's status in storage.
    public enum Status: String, Sendable, CaseIterable {
        /// Mapped to one or more canonical events.
        case normalized
        /// Parsed, but of a type HookGate does not map: a passthrough event was emitted.
        case unrecognized
        /// The body could not be parsed: stored, no event, re-normalizable later.
        case unparsed

        /// The statuses of receipts that may have no canonical event to match or remove them by: retention removes
        /// such receipts on their own, erasure searches their raw bodies.
        public static let eventless: [Status] = [.unrecognized, .unparsed]
    }

    public var status: Status
    /// Unique per source; a second request with the same key is a duplicate.
    public var dedupeKey: String
    public var events: [CanonicalEvent]

    public init(status: Status, dedupeKey: String, events: [CanonicalEvent]) {
        self.status = status
        self.dedupeKey = Self.storable(dedupeKey)
        self.events = events
    }

    /// A body that could not be parsed, identified by its hash so that resending it is still a duplicate.
    public static func unparsed(body: ByteBuffer) -> Normalization {
        let digest = SHA256.hash(data: body.readableBytesView)
        return Normalization(status: .unparsed, dedupeKey: "sha256:" + Hex.encode(digest), events: [])
    }

    /// Keys come from request content: one that is long or holds a NUL (which PostgreSQL text rejects) is
    /// replaced by its hash, so no content can make a verified request unstorable.
    private static func storable(_ key: String) -> String {
        guard key.utf8.count > 200 || key.utf8.contains(0) else { return key }
        return "sha256:" + Hex.encode(SHA256.hash(data: Array(key.utf8)))
    }
}
