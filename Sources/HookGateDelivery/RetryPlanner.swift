import Foundation
import HookGateCore
import HookGateStorage

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

/// When a failed delivery is tried again: the destination's schedule with jitter, never sooner than `Retry-After`
/// asks (clamped to an hour, so one answer cannot park a delivery for days), and at least a minute after a 429 or
/// a timeout, since hammering an overloaded destination only keeps it overloaded.
public struct RetryPlanner: Sendable {
    public static let minimumAfterThrottle: Duration = .seconds(60)
    public static let maximumRetryAfter: Duration = .seconds(3_600)

    public let policy: HookGateConfiguration.RetryPolicy

    public init(policy: HookGateConfiguration.RetryPolicy) {
        self.policy = policy
    }

    /// The decision after attempt `number` (1-based) failed with `failure` at `now`.
    /// - Parameter random: uniform in 0..<1, for the jitter (injected so tests are exact).
    public func decision(afterAttempt number: Int, failure: AttemptFailure, retryAfter: Duration?, now: Date, random: Double) -> DeliveryDecision {
        guard number < policy.schedule.count else { return .dead }
        let base = policy.schedule[number]
        var delay = base * (1 + policy.jitter * (2 * random - 1))
        if failure == .timeout || failure == .status(429) { delay = max(delay, Self.minimumAfterThrottle) }
        if let retryAfter { delay = max(delay, min(retryAfter, Self.maximumRetryAfter)) }
        let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
        return .retry(at: now.addingTimeInterval(max(0, seconds)))
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
