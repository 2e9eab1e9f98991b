import Foundation

/// Deliveries of one destination by state, for metrics and the destinations view.
public struct DestinationBacklog: Sendable, Equatable {
    public var pending = 0
    public var due = 0
    public var inFlight = 0
    public var dead = 0
    public var oldestPending: Date?

    public init() {}
}
