import Foundation

/// One delivery to queue: where it goes, and how long after it is queued its first attempt is due (the first entry
/// of the destination's `retry.schedule`, DESIGN.md §7).
public struct PlannedDelivery: Sendable, Equatable {
    /// `target:{id}` / `subscription:{id}`.
    public var destination: String
    public var firstAttemptDelay: Duration

    public init(destination: String, firstAttemptDelay: Duration = .zero) {
        self.destination = destination
        self.firstAttemptDelay = firstAttemptDelay
    }

    /// When the first attempt is due for a delivery queued at `queued`.
    public func due(queuedAt queued: Date) -> Date {
        queued.addingTimeInterval(firstAttemptDelay.timeInterval)
    }
}
