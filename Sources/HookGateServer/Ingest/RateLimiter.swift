import HookGateCore
import Synchronization

/// Per-client-IP token buckets: `rate` tokens a second, up to `burst`.
///
/// State is bounded: when it holds many addresses, buckets that have refilled completely (idle clients) are
/// dropped, since a full bucket is the same as no bucket.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let rate: Double
    private let burst: Double
    private let buckets = Mutex<[String: Bucket]>([:])
    private static let sweepThreshold = 50_000

    init(perSecond: Int, burst: Int) {
        self.rate = Double(perSecond)
        self.burst = Double(max(burst, 1))
    }

    /// Takes a token for `client`; returns nil when allowed, else how long until a token is available.
    func acquire(client: String, now: ContinuousClock.Instant = .now) -> Duration? {
        buckets.withLock { buckets in
            var bucket = buckets[client] ?? Bucket(tokens: burst, updated: now)
            let elapsed = bucket.updated.duration(to: now)
            bucket.tokens = min(burst, bucket.tokens + max(0, elapsed.timeInterval) * rate)
            bucket.updated = now
            defer {
                buckets[client] = bucket
                if buckets.count > Self.sweepThreshold { sweep(&buckets, now: now) }
            }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return .milliseconds(Int64(((1 - bucket.tokens) / rate * 1_000).rounded(.up)))
        }
    }

    private func sweep(_ buckets: inout [String: Bucket], now: ContinuousClock.Instant) {
        let refillTime = Duration.milliseconds(Int64(burst / rate * 1_000) + 1)
        buckets = buckets.filter { $0.value.updated.duration(to: now) < refillTime }
    }
}
