import Foundation

/// What an attempt leaves the delivery as.
public enum DeliveryDecision: Sendable, Equatable {
    case succeeded
    /// Try again at this time.
    case retry(at: Date)
    /// The schedule is exhausted.
    case dead
    /// Will never be sent (its subscription answered 410 and was disabled).
    case cancelled
}
