import Foundation
import HookGateCore

/// Why an attempt did not succeed, as far as retry timing cares.
public enum AttemptFailure: Sendable, Equatable {
    /// The destination answered with this non-2xx status.
    case status(Int)
    /// No answer within the destination's timeout.
    case timeout
    /// Connecting, TLS or the exchange itself failed.
    case connection
    /// A subscription URL resolved to an address it may not reach (SSRF guard).
    case blockedAddress

    /// The `error` recorded with the attempt (nil when the destination answered).
    public var errorKind: String? {
        switch self {
        case .status: nil
        case .timeout: "timeout"
        case .connection: "connection"
        case .blockedAddress: "blocked_address"
        }
    }
}

/// When a failed delivery is tried again: exactly the destination's schedule with its jitter, and never sooner
/// than the destination's own `Retry-After` asks (clamped to an hour, so one answer cannot park a delivery for
/// days). Nothing else moves an attempt: the configured schedule is the contract (DESIGN.md §7).
public struct RetryPlanner: Sendable {
    public static let maximumRetryAfter: Duration = .seconds(3_600)

    public let policy: HookGateConfiguration.RetryPolicy

    public init(policy: HookGateConfiguration.RetryPolicy) {
        self.policy = policy
    }

    /// The decision after attempt `number` (1-based) failed at `now`.
    /// - Parameter random: uniform in 0..<1, for the jitter (injected so tests are exact).
    public func decision(afterAttempt number: Int, retryAfter: Duration?, now: Date, random: Double) -> DeliveryDecision {
        guard number < policy.schedule.count else { return .dead }
        let base = policy.schedule[number]
        var delay = base * (1 + policy.jitter * (2 * random - 1))
        if let retryAfter { delay = max(delay, min(retryAfter, Self.maximumRetryAfter)) }
        return .retry(at: now.addingTimeInterval(max(0, delay.timeInterval)))
    }

    /// `Retry-After` as delay-seconds or an HTTP date; nil when absent or unreadable.
    public static func retryAfter(_ value: String?, now: Date) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Int64(value), seconds >= 0 { return .seconds(seconds) }
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "GMT")
        format.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = format.date(from: value) else { return nil }
        return .seconds(max(0, Int64(date.timeIntervalSince(now).rounded(.up))))
    }
}
