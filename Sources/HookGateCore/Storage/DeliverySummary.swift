import Foundation

/// A delivery of one event to one destination, as listed with its event.
public struct DeliverySummary: Sendable, Equatable {
    public var id: String
    public var eventID: String
    public var destination: String
    public var status: DeliveryStatus
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var lastStatus: Int?
    /// Attempts made before this series began (a replay or redelivery starts a new one; the schedule restarts).
    public var seriesStart: Int
    /// The bulk replay that queued it, while it waits for that replay.
    public var replayID: String?

    public init(
        id: String, eventID: String, destination: String, status: DeliveryStatus, attempts: Int, nextAttemptAt: Date?, lastStatus: Int?,
        seriesStart: Int = 0, replayID: String? = nil
    ) {
        self.id = id
        self.eventID = eventID
        self.destination = destination
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastStatus = lastStatus
        self.seriesStart = seriesStart
        self.replayID = replayID
    }
}
