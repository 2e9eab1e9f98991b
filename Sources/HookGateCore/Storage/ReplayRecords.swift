import Foundation

/// Which deliveries a bulk replay takes (DESIGN.md §8 `POST /v1/replays`).
public struct ReplayFilter: Sendable, Equatable {
    /// The delivery status to match; nil matches every status but `in_flight`.
    public var status: DeliveryStatus?
    /// The destinations to consider: the one the operator named, or every destination this gateway knows (a
    /// removed target's deliveries would be queued with nobody to send them).
    public var destinations: [String]
    public var type: TypePattern?
    public var source: String?
    /// A creation-time window of the deliveries.
    public var since: Date?
    public var until: Date?

    public init(status: DeliveryStatus? = nil, destinations: [String], type: TypePattern? = nil, source: String? = nil, since: Date? = nil, until: Date? = nil) {
        self.status = status
        self.destinations = destinations
        self.type = type
        self.source = source
        self.since = since
        self.until = until
    }
}

/// A bulk replay as stored: what it matched and how far it got.
public struct ReplayProgress: Sendable, Equatable {
    public var id: String
    /// The filter as the operator gave it (JSON object text), for the record.
    public var filter: String
    public var actor: String
    public var createdAt: Date
    /// Deliveries that matched the filter when the replay was made (an attempt under way never matches: it is not
    /// sent a second time beside itself).
    public var matched: Int
    /// Deliveries of this replay still to be sent (pending or in flight).
    public var queued: Int
    public var succeeded: Int
    /// Deliveries of this replay that ended `dead` again.
    public var failed: Int
    /// Deliveries put back as they were by a cancellation.
    public var cancelled: Int
    public var cancelledAt: Date?

    /// `running` while anything is queued, then `completed`; `cancelled` once cancelled.
    public var state: String {
        if cancelledAt != nil { return "cancelled" }
        return queued > 0 ? "running" : "completed"
    }

    public init(id: String, filter: String, actor: String, createdAt: Date, matched: Int, queued: Int, succeeded: Int, failed: Int, cancelled: Int, cancelledAt: Date?) {
        self.id = id
        self.filter = filter
        self.actor = actor
        self.createdAt = createdAt
        self.matched = matched
        self.queued = queued
        self.succeeded = succeeded
        self.failed = failed
        self.cancelled = cancelled
        self.cancelledAt = cancelledAt
    }
}

/// What a bulk replay matched and queued.
public struct ReplayCounts: Sendable, Equatable {
    public var matched: Int
    public var queued: Int

    public init(matched: Int, queued: Int) {
        self.matched = matched
        self.queued = queued
    }
}

/// What redelivering an event did for one destination.
public struct Redelivery: Sendable, Equatable {
    public enum Result: String, Sendable {
        /// The existing delivery was queued again as a new attempt series.
        case queued
        /// The destination had no delivery of the event (a route or subscription added since): one was made.
        case created
        /// An attempt is under way; it was left alone rather than sent twice at once.
        case inFlight = "in_flight"
    }

    public var destination: String
    public var deliveryID: String
    public var result: Result

    public init(destination: String, deliveryID: String, result: Result) {
        self.destination = destination
        self.deliveryID = deliveryID
        self.result = result
    }
}
