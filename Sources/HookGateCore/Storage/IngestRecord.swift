import Foundation
import NIOCore

/// Everything one verified request writes, committed together: the raw receipt, its canonical events and one
/// pending delivery per destination (the transactional outbox).
public struct IngestRecord: Sendable {
    public var receiptID: String
    public var sourceID: String
    public var dedupeKey: String
    public var status: Normalization.Status
    public var receivedAt: Date
    /// JSON object of the request headers worth keeping (credentials left out).
    public var headers: String
    public var body: ByteBuffer
    public var events: [Event]

    /// One canonical event and where it must be delivered.
    public struct Event: Sendable {
        public var id: String
        public var type: String
        public var subject: String?
        public var time: Date
        /// The CloudEvent JSON as delivered.
        public var payload: ByteBuffer
        /// One per destination.
        public var deliveries: [PlannedDelivery]

        public init(id: String, type: String, subject: String?, time: Date, payload: ByteBuffer, deliveries: [PlannedDelivery]) {
            self.id = id
            self.type = type
            self.subject = subject
            self.time = time
            self.payload = payload
            self.deliveries = deliveries
        }
    }

    public init(
        receiptID: String, sourceID: String, dedupeKey: String, status: Normalization.Status, receivedAt: Date, headers: String,
        body: ByteBuffer, events: [Event]
    ) {
        self.receiptID = receiptID
        self.sourceID = sourceID
        self.dedupeKey = dedupeKey
        self.status = status
        self.receivedAt = receivedAt
        self.headers = headers
        self.body = body
        self.events = events
    }
}

/// The result of ingesting one record.
public enum IngestOutcome: Sendable, Equatable {
    /// Newly stored, with these event ids.
    case stored(eventIDs: [String])
    /// Already stored earlier (same source and dedupe key): the original event ids, nothing new written.
    case duplicate(eventIDs: [String])

    public var eventIDs: [String] {
        switch self {
        case .stored(let ids), .duplicate(let ids): ids
        }
    }
}
