import Foundation

/// Per-destination circuit breaker (DESIGN.md §7): opens after `threshold` consecutive failures, lets one probe
/// through after `cooldown`, and closes on a success. A destination whose circuit is open takes no worker slots.
public struct CircuitBreaker: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case closed(consecutiveFailures: Int)
        case open(until: Date)
        /// One probe is in flight; nothing else goes until it answers.
        case halfOpen
    }

    public private(set) var state: State = .closed(consecutiveFailures: 0)
    public let threshold: Int
    public let cooldown: TimeInterval

    public init(threshold: Int = 5, cooldown: TimeInterval = 30) {
        self.threshold = threshold
        self.cooldown = cooldown
    }

    /// How many new attempts may start now, at most `capacity`. Taking the probe moves an open circuit to half-open.
    public mutating func allowance(capacity: Int, now: Date) -> Int {
        switch state {
        case .closed: return capacity
        case .halfOpen: return 0
        case .open(let until):
            guard now >= until, capacity > 0 else { return 0 }
            state = .halfOpen
            return 1
        }
    }

    /// The probe found nothing to send: the circuit stays open and may probe again at once.
    public mutating func cancelProbe(now: Date) {
        if state == .halfOpen { state = .open(until: now) }
    }

    public mutating func recordSuccess() {
        state = .closed(consecutiveFailures: 0)
    }

    public mutating func recordFailure(now: Date) {
        switch state {
        case .closed(let failures) where failures + 1 < threshold:
            state = .closed(consecutiveFailures: failures + 1)
        case .closed, .halfOpen:
            state = .open(until: now.addingTimeInterval(cooldown))
        case .open:
            break  // attempts that started before the circuit opened
        }
    }

    /// 0 closed, 1 half-open, 2 open: the `hookgate_circuit_state` gauge.
    public var gaugeValue: Int {
        switch state {
        case .closed: 0
        case .halfOpen: 1
        case .open: 2
        }
    }

    public var name: String {
        switch state {
        case .closed: "closed"
        case .halfOpen: "half_open"
        case .open: "open"
        }
    }
}
