import Foundation
import Testing

@testable import HookGateServer

@Suite("Rate limiter")
struct RateLimiterTests {
    @Test("a burst, then the rate; a refilled client is as new")
    func buckets() {
        let start = ContinuousClock.now
        let limiter = RateLimiter(perSecond: 10, burst: 3, now: start)
        for _ in 0..<3 { #expect(limiter.acquire(client: "192.0.2.1", now: start) == nil) }
        #expect(limiter.acquire(client: "192.0.2.1", now: start) == .milliseconds(100))
        #expect(limiter.acquire(client: "192.0.2.2", now: start) == nil, "another client has its own bucket")
        #expect(limiter.acquire(client: "192.0.2.1", now: start + .milliseconds(100)) == nil)
    }

    @Test("IPv6 clients share a bucket per /64; IPv4-mapped addresses count as their IPv4")
    func keys() {
        #expect(RateLimiter.key("2001:db8:1:2:aaaa::1") == RateLimiter.key("2001:0db8:0001:0002:ffff:ffff:ffff:ffff"))
        #expect(RateLimiter.key("2001:db8:1:2::1") == "20010db800010002/64")
        #expect(RateLimiter.key("2001:db8:1:3::1") != RateLimiter.key("2001:db8:1:2::1"))
        #expect(RateLimiter.key("::ffff:192.0.2.7") == "192.0.2.7")
        #expect(RateLimiter.key("192.0.2.7") == "192.0.2.7")
        let start = ContinuousClock.now
        let limiter = RateLimiter(perSecond: 1, burst: 2, now: start)
        #expect(limiter.acquire(client: "2001:db8::1", now: start) == nil)
        #expect(limiter.acquire(client: "2001:db8::2", now: start) == nil)
        #expect(limiter.acquire(client: "2001:db8::3", now: start) != nil, "a new address in the same /64 is no new bucket")
    }

    @Test("a flood of addresses holds at most two generations of buckets, and limited clients stay limited")
    func bounded() {
        let start = ContinuousClock.now
        let limiter = RateLimiter(perSecond: 1, burst: 1, generationCapacity: 1_000, now: start)
        #expect(limiter.acquire(client: "198.51.100.1", now: start) == nil)
        #expect(limiter.acquire(client: "198.51.100.1", now: start) != nil)
        for index in 0..<100_000 {
            _ = limiter.acquire(client: "10.\(index >> 16 & 255).\(index >> 8 & 255).\(index & 255)", now: start)
            if index == 1_500 { #expect(limiter.acquire(client: "198.51.100.1", now: start) != nil, "kept across a generation") }
        }
        #expect(limiter.count <= 2_000)
    }
}
