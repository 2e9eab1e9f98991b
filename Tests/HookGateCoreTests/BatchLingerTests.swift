import Testing

@testable import HookGateCore

@Suite("Group commit: waiting for batch-mates")
struct BatchLingerTests {
    /// Notes `count` arrivals `gap` apart, enough for the moving average to settle on `gap`.
    private func settled(gap: Duration, count: Int = 64) -> BatchLinger {
        var linger = BatchLinger(limit: .milliseconds(2), batch: 4)
        var now = ContinuousClock.now
        for _ in 0..<count {
            linger.noteArrival(at: now)
            now += gap
        }
        return linger
    }

    @Test("sparse records are committed at once")
    func sparseArrivalsDoNotWait() {
        #expect(BatchLinger(limit: .milliseconds(2), batch: 4).wait(queued: 1) == nil, "no history: no wait")
        #expect(settled(gap: .milliseconds(50)).wait(queued: 1) == nil)
        #expect(settled(gap: .milliseconds(3)).wait(queued: 1) == nil, "one record per 3 ms is slower than the 2 ms limit")
    }

    @Test("frequent records wait about as long as the rest of a batch takes to arrive, never more than the limit")
    func frequentArrivalsWait() throws {
        let fast = settled(gap: .microseconds(250))
        let wait = try #require(fast.wait(queued: 1))
        #expect(wait > .microseconds(700) && wait < .microseconds(800), "three more records at 250 µs apart: \(wait)")
        #expect(fast.wait(queued: 3).map { $0 < .microseconds(300) } == true, "one more record")
        #expect(settled(gap: .microseconds(1_500)).wait(queued: 1) == .milliseconds(2), "capped at the limit")
    }

    @Test("a full batch, or a limit of zero, does not wait")
    func fullBatchOrNoLimit() {
        #expect(settled(gap: .microseconds(100)).wait(queued: 4) == nil)
        #expect(settled(gap: .microseconds(100)).wait(queued: 40) == nil)
        var off = BatchLinger(limit: .zero, batch: 4)
        off.noteArrival(at: .now)
        off.noteArrival(at: .now)
        #expect(off.wait(queued: 1) == nil)
    }

    @Test("a pause after a burst stops the waiting within a few records")
    func pauseEndsWaiting() {
        var linger = settled(gap: .microseconds(100))
        #expect(linger.wait(queued: 1) != nil)
        var now = ContinuousClock.now + .seconds(10)
        for _ in 0..<2 {
            linger.noteArrival(at: now)
            now += .seconds(10)
        }
        #expect(linger.wait(queued: 1) == nil, "two long gaps outweigh the burst")
    }
}
