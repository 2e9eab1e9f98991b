import Foundation
import NIOCore

/// Erasure of one person's data (DESIGN.md §13), as storage does it: events are read a window at a time in id
/// order, the caller decides which ones name the customer, and those are erased a small batch per transaction.
public protocol ErasureStore: Sendable {
    /// Records a new erasure as running, with `audit` in the same transaction. `scope` describes what is erased
    /// without the customer's values; `total` is how many events it will look at.
    func startErasure(id: String, actor: String, scope: String, total: Int, audit: AuditEntry, now: Date) async throws

    /// How many events an erasure in `sources` (nil: every source) looks at.
    func countErasable(sources: [String]?) async throws -> Int

    /// The next window of at most `limit` events after the id `after`, in `sources` (nil: all). Only events whose
    /// payload contains one of `needles` (lowercase; nil: every event) come back as candidates, with their
    /// payloads. `last` is the window's last id (nil: no events are left) and `scanned` its size.
    func erasureWindow(after: String?, limit: Int, sources: [String]?, needles: [String]?) async throws -> ErasureWindow

    /// In one transaction: the events' payloads become `redacted`, their receipts lose body and headers, their
    /// undelivered deliveries (pending, failed or in flight) are cancelled, and their attempts lose their response
    /// snippets.
    func erase(_ events: [RedactedEvent], now: Date) async throws -> ErasureCounts

    /// Receipts of `status` (`unrecognized` or `unparsed`: they made no event to match on) in the next window of at
    /// most `limit` after the id `after`, in `sources`, lose body and headers when the body contains one of
    /// `needles` (lowercase; nil: every one).
    func eraseEventlessReceipts(
        status: Normalization.Status, after: String?, limit: Int, sources: [String]?, needles: [String]?
    ) async throws -> EventlessErasure

    /// Records an erasure's progress, or its end when `state` is not running.
    func recordErasure(id: String, state: ErasureState, counts: ErasureCounts, error: String?, now: Date) async throws

    func erasure(id: String) async throws -> ErasureProgress?

    /// The newest erasures first.
    func erasures(limit: Int) async throws -> [ErasureProgress]

    /// Marks as failed the erasures still running whose progress was last recorded before `staleBefore`: their
    /// process stopped, and the customer's values were never stored, so they cannot resume. Returns how many.
    func failInterruptedErasures(reason: String, staleBefore: Date, now: Date) async throws -> Int
}

/// One window of an erasure's scan.
public struct ErasureWindow: Sendable {
    public var candidates: [ErasureCandidate]
    public var last: String?
    public var scanned: Int

    public init(candidates: [ErasureCandidate], last: String?, scanned: Int) {
        self.candidates = candidates
        self.last = last
        self.scanned = scanned
    }
}

/// One window of eventless receipts: how many were erased, the window's last id (nil: none left) and its size.
public struct EventlessErasure: Sendable {
    public var erased: Int
    public var last: String?
    public var scanned: Int

    public init(erased: Int, last: String?, scanned: Int) {
        self.erased = erased
        self.last = last
        self.scanned = scanned
    }
}

/// An event whose payload may name the customer.
public struct ErasureCandidate: Sendable {
    public var eventID: String
    public var receiptID: String
    public var payload: ByteBuffer

    public init(eventID: String, receiptID: String, payload: ByteBuffer) {
        self.eventID = eventID
        self.receiptID = receiptID
        self.payload = payload
    }
}

/// An event to erase and what its stored CloudEvent becomes.
public struct RedactedEvent: Sendable {
    public var eventID: String
    public var receiptID: String
    public var payload: ByteBuffer
    /// The event's subject is removed too (it named the customer).
    public var dropSubject: Bool

    public init(eventID: String, receiptID: String, payload: ByteBuffer, dropSubject: Bool) {
        self.eventID = eventID
        self.receiptID = receiptID
        self.payload = payload
        self.dropSubject = dropSubject
    }
}

public enum ErasureState: String, Sendable, Codable {
    case running, done, failed
}

/// What an erasure has done so far.
public struct ErasureCounts: Sendable, Equatable {
    /// Receipts whose body and headers were removed.
    public var receipts = 0
    /// Events whose `data` was redacted.
    public var events = 0
    public var deliveriesCancelled = 0
    /// Events looked at.
    public var scanned = 0

    public init(receipts: Int = 0, events: Int = 0, deliveriesCancelled: Int = 0, scanned: Int = 0) {
        self.receipts = receipts
        self.events = events
        self.deliveriesCancelled = deliveriesCancelled
        self.scanned = scanned
    }

    public static func + (lhs: ErasureCounts, rhs: ErasureCounts) -> ErasureCounts {
        ErasureCounts(
            receipts: lhs.receipts + rhs.receipts, events: lhs.events + rhs.events,
            deliveriesCancelled: lhs.deliveriesCancelled + rhs.deliveriesCancelled, scanned: lhs.scanned + rhs.scanned)
    }
}

/// An erasure as stored: never the customer's values, only which kinds of them were given.
public struct ErasureProgress: Sendable, Equatable {
    public var id: String
    public var state: ErasureState
    public var actor: String
    public var scope: String
    public var counts: ErasureCounts
    /// Events the erasure looks at in all.
    public var total: Int
    public var error: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, state: ErasureState, actor: String, scope: String, counts: ErasureCounts, total: Int, error: String?, createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.state = state
        self.actor = actor
        self.scope = scope
        self.counts = counts
        self.total = total
        self.error = error
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
