import Foundation

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

    public init(
        id: String, filter: String, actor: String, createdAt: Date, matched: Int, queued: Int, succeeded: Int, failed: Int, cancelled: Int,
        cancelledAt: Date?
    ) {
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
