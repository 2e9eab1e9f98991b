import Foundation
import NIOCore

/// A stored canonical event.
public struct StoredEvent: Sendable {
    public var id: String
    public var sourceID: String
    public var type: String
    public var receiptID: String
    /// The CloudEvent JSON exactly as it is delivered.
    public var payload: ByteBuffer

    public init(id: String, sourceID: String, type: String, receiptID: String, payload: ByteBuffer) {
        self.id = id
        self.sourceID = sourceID
        self.type = type
        self.receiptID = receiptID
        self.payload = payload
    }
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

    public init(id: String, eventID: String, destination: String, status: DeliveryStatus, attempts: Int, nextAttemptAt: Date?, lastStatus: Int?) {
        self.id = id
        self.eventID = eventID
        self.destination = destination
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastStatus = lastStatus
    }
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

    public init(id: String, sourceID: String, dedupeKey: String, status: Normalization.Status, receivedAt: Date, headers: String, body: ByteBuffer, bodyBytes: Int, eventIDs: [String]) {
        self.id = id
        self.sourceID = sourceID
        self.dedupeKey = dedupeKey
        self.status = status
        self.receivedAt = receivedAt
        self.headers = headers
        self.body = body
        self.bodyBytes = bodyBytes
        self.eventIDs = eventIDs
    }
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

    /// A page of at most `limit` items from `fetched`, which holds one more than a page when another page follows.
    public init(fetched: [Item], limit: Int, id: (Item) -> String) {
        items = Array(fetched.prefix(limit))
        nextCursor = fetched.count > limit ? items.last.map(id) : nil
    }
}
