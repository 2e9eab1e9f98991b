import Foundation
import HookGateCore
import NIOCore

/// A stored canonical event.
public struct StoredEvent: Sendable {
    public var id: String
    public var sourceID: String
    public var type: String
    public var receiptID: String
    /// The CloudEvent JSON exactly as it is delivered.
    public var payload: ByteBuffer
}

/// A delivery of one event to one destination, as listed with its event.
public struct DeliverySummary: Sendable, Equatable {
    public var id: String
    public var eventID: String
    public var destination: String
    public var status: DeliveryStatus
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var lastStatus: Int?
}

/// The raw request as it arrived.
public struct StoredReceipt: Sendable {
    public var id: String
    public var sourceID: String
    public var dedupeKey: String
    public var status: Normalization.Status
    public var receivedAt: Date
    /// JSON object text.
    public var headers: String
    /// Empty when the query left the bodies out (``ReceiptQuery/includeBodies``).
    public var body: ByteBuffer
    /// The body's size, always there.
    public var bodyBytes: Int
    public var eventIDs: [String]
}

/// Filters for listing events, newest first.
public struct EventQuery: Sendable {
    public var source: String?
    public var type: TypePattern?
    public var since: Date?
    public var until: Date?
    public var limit: Int
    /// The id of the last event of the previous page.
    public var after: String?

    public init(source: String? = nil, type: TypePattern? = nil, since: Date? = nil, until: Date? = nil, limit: Int = 50, after: String? = nil) {
        self.source = source
        self.type = type
        self.since = since
        self.until = until
        self.limit = limit
        self.after = after
    }

    var idRange: (lower: String?, upper: String?) { IDRange.between("evt_", since: since, until: until) }
}

/// Filters for listing deliveries, newest first.
public struct DeliveryQuery: Sendable {
    public var status: DeliveryStatus?
    public var destination: String?
    public var eventID: String?
    public var since: Date?
    public var until: Date?
    public var limit: Int
    /// The id of the last delivery of the previous page.
    public var after: String?

    public init(
        status: DeliveryStatus? = nil, destination: String? = nil, eventID: String? = nil, since: Date? = nil, until: Date? = nil, limit: Int = 50,
        after: String? = nil
    ) {
        self.status = status
        self.destination = destination
        self.eventID = eventID
        self.since = since
        self.until = until
        self.limit = limit
        self.after = after
    }

    var idRange: (lower: String?, upper: String?) { IDRange.between("dlv_", since: since, until: until) }
}

/// Ids are time-sortable, so a creation-time window is an id range and needs no separate index.
enum IDRange {
    static func between(_ prefix: String, since: Date?, until: Date?) -> (lower: String?, upper: String?) {
        (since.map { prefix + Identifier.timeComponent($0) + String(repeating: "0", count: 16) },
         until.map { prefix + Identifier.timeComponent($0) + String(repeating: "Z", count: 16) })
    }
}

/// Filters for listing receipts, newest first.
public struct ReceiptQuery: Sendable {
    public var status: Normalization.Status?
    public var source: String?
    public var limit: Int
    public var after: String?
    /// False for listings: a page of 500 receipts of up to 256 MiB each must not be read into memory to be shown.
    public var includeBodies: Bool

    public init(status: Normalization.Status? = nil, source: String? = nil, limit: Int = 50, after: String? = nil, includeBodies: Bool = true) {
        self.status = status
        self.source = source
        self.limit = limit
        self.after = after
        self.includeBodies = includeBodies
    }
}

/// One page of a list; `nextCursor` is nil on the last page.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextCursor: String?

    init(fetched: [Item], limit: Int, id: (Item) -> String) {
        items = Array(fetched.prefix(limit))
        nextCursor = fetched.count > limit ? items.last.map(id) : nil
    }
}
