import Foundation

/// Paces one destination's bulk-replayed deliveries: never more than `rate` started in any one-second window
/// (DESIGN.md §8 `replay_rate`), so a destination that just recovered is not flattened by its own backlog.
///
/// A sliding window, not a token bucket: a bucket lets a full burst and a second's refill through within one
/// second, twice the promised rate. The window keeps the start times of the last `rate` sends.
struct ReplayPacer {
    /// Start times (seconds since the reference date) of the last `rate` sends, oldest at `head`.
    private var starts: [Double]
    private var head = 0

    init(rate: Int) {
        starts = Array(repeating: -.infinity, count: max(1, rate))
    }

    /// How many replayed deliveries may start at `now`.
    func allowance(now: Date) -> Int {
        let windowStart = now.timeIntervalSinceReferenceDate - 1
        var free = 0
        // The ring is in time order from `head`: count the sends that have left the window.
        while free < starts.count, starts[(head + free) % starts.count] <= windowStart { free += 1 }
        return free
    }

    /// Records `count` replayed deliveries started at `now` (no more than ``allowance(now:)``).
    mutating func record(_ count: Int, now: Date) {
        for _ in 0..<min(count, starts.count) {
            starts[head] = now.timeIntervalSinceReferenceDate
            head = (head + 1) % starts.count
        }
    }

    /// When the next replayed delivery may start.
    var nextStart: Date {
        Date(timeIntervalSinceReferenceDate: starts[head] + 1)
    }
}
