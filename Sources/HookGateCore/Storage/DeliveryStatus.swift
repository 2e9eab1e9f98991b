/// Where a delivery stands (DESIGN.md §4): waiting for its next attempt, being attempted, or finished one way or
/// another.
public enum DeliveryStatus: String, Sendable, Codable, CaseIterable {
    /// Waiting for `next_attempt_at`.
    case pending
    /// Leased by a worker that is attempting it now.
    case inFlight = "in_flight"
    case succeeded
    /// Attempted and not accepted, with attempts left.
    case failed
    /// The retry schedule ran out.
    case dead
    /// Will never be sent: its subscription was deleted or answered 410, or a replay was cancelled.
    case cancelled

    /// Whether a next attempt is planned, so that `next_attempt_at` means something.
    public var awaitsAttempt: Bool { self == .pending || self == .failed }
}
