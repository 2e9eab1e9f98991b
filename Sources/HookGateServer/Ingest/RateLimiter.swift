import Foundation
import HookGateCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Per-client token buckets: `rate` tokens a second, up to `burst`, keyed by IPv4 address or IPv6 /64 (one host
/// owns a whole /64, and would otherwise get a fresh bucket per address).
///
/// Memory is bounded and each request costs O(1) however many addresses come: buckets live in two generations. The
/// current one takes every bucket touched; when it is older than a full refill, or holds `generationCapacity`
/// buckets, it becomes the previous one and the older is dropped. A bucket untouched for a whole refill is full,
/// which is the same as no bucket, so ageing forgets nothing. Under a flood of addresses a quiet client's bucket may
/// be dropped early, which only ever grants it a full burst: the limiter stays lenient, never wrong the other way.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private struct Generations {
        var current: [String: Bucket] = [:]
        var previous: [String: Bucket] = [:]
        var started: ContinuousClock.Instant
    }

    private let rate: Double
    private let burst: Double
    private let refill: Duration
    private let generationCapacity: Int
    private let state: Mutex<Generations>

    init(perSecond: Int, burst: Int, generationCapacity: Int = 50_000, now: ContinuousClock.Instant = .now) {
        self.rate = Double(perSecond)
        self.burst = Double(max(burst, 1))
        self.refill = .milliseconds(Int64(Double(max(burst, 1)) / Double(max(perSecond, 1)) * 1_000) + 1)
        self.generationCapacity = generationCapacity
        self.state = Mutex(Generations(started: now))
    }

    /// How many buckets are held (both generations).
    var count: Int { state.withLock { $0.current.count + $0.previous.count } }

    /// Takes a token for the client at `address`; returns nil when allowed, else how long until a token is available.
    func acquire(client address: String, now: ContinuousClock.Instant = .now) -> Duration? {
        let key = Self.key(address)
        return state.withLock { state in
            if state.started.duration(to: now) >= refill || state.current.count >= generationCapacity {
                state.previous = state.current
                state.current = [:]
                state.current.reserveCapacity(min(generationCapacity, state.previous.count))
                state.started = now
            }
            var bucket = state.current[key] ?? state.previous.removeValue(forKey: key) ?? Bucket(tokens: burst, updated: now)
            bucket.tokens = min(burst, bucket.tokens + max(0, bucket.updated.duration(to: now).timeInterval) * rate)
            bucket.updated = now
            defer { state.current[key] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return .milliseconds(Int64(((1 - bucket.tokens) / rate * 1_000).rounded(.up)))
        }
    }

    /// The bucket key: an IPv4 address as it is, an IPv6 address by its /64 (an IPv4-mapped one as its IPv4).
    static func key(_ address: String) -> String {
        guard address.contains(":") else { return address }
        // Sixteen raw bytes rather than `in6_addr`, whose defining module differs between libc overlays.
        var bytes = [UInt8](repeating: 0, count: 16)
        let parsed = bytes.withUnsafeMutableBytes { inet_pton(AF_INET6, address, $0.baseAddress) }
        guard parsed == 1 else { return address }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
            return bytes[12...].map(String.init).joined(separator: ".")
        }
        return Hex.encode(bytes[0..<8]) + "/64"
    }
}
