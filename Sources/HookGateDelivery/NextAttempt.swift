import Foundation
import HookGateCore

/// When a delivery will be attempted next and why, for the on-call engineer reading one delivery.
///
/// Worked out from what is stored rather than stored itself: the planner's rule (DESIGN.md §7) is exact, so a wait
/// longer than the schedule entry with its widest jitter can only have come from the destination's `Retry-After`.
public struct NextAttempt: Sendable, Equatable {
    public enum Reason: String, Sendable {
        /// Nothing attempted yet in this series: a new delivery, or one replayed or redelivered by hand.
        case firstAttempt = "first_attempt"
        /// Queued by a bulk replay, sent at the destination's `replay_rate` after live work.
        case replay
        /// The destination's retry schedule.
        case schedule
        /// The destination asked to wait (`Retry-After`) longer than the schedule would have.
        case retryAfter = "retry_after"
        /// Due, but held back by this instance's open circuit for the destination.
        case circuitOpen = "circuit_open"
        /// A worker holds it and is attempting it now.
        case inFlight = "in_flight"
    }

    public var at: Date
    public var reason: Reason
    /// One sentence for people: which schedule entry, how long the destination asked for, what the circuit does.
    public var detail: String

    /// Seconds of slack between the attempt's recorded end and the planner's `now`, both taken around one write.
    private static let tolerance: TimeInterval = 1

    /// The next attempt of `delivery`, or nil when none is planned (succeeded, dead, cancelled).
    /// - Parameters:
    ///   - attempts: the delivery's attempts, in order; the last one is what the current wait follows.
    ///   - circuit: this instance's circuit state for the destination (`open`, `half_open`, `closed`), if it delivers.
    public static func of(
        _ delivery: DeliverySummary, attempts: [DeliveryAttempt], retry: HookGateConfiguration.RetryPolicy, circuit: String?, now: Date
    ) -> NextAttempt? {
        if delivery.status == .inFlight {
            return NextAttempt(at: now, reason: .inFlight, detail: "A worker is attempting it now; the outcome is recorded when the exchange ends.")
        }
        guard delivery.status.awaitsAttempt, let at = delivery.nextAttemptAt else { return nil }
        if circuit == "open", at <= now {
            return NextAttempt(
                at: at, reason: .circuitOpen,
                detail: "Due, but the circuit for \(delivery.destination) is open after consecutive failures: one probe goes after its cooldown, "
                    + "and the rest follow once a probe succeeds.")
        }
        let made = delivery.attempts - delivery.seriesStart
        if delivery.replayID != nil {
            return NextAttempt(
                at: at, reason: .replay,
                detail: "Queued by bulk replay \(delivery.replayID ?? ""), sent at the destination's replay rate once live work is done.")
        }
        guard made > 0 else {
            return NextAttempt(
                at: at, reason: .firstAttempt,
                detail: delivery.attempts == 0
                    ? "The first attempt." : "The first attempt of a new series: it was replayed or redelivered, its earlier attempts kept.")
        }
        // A schedule shortened since the attempt, or the attempt's row not written yet: the schedule, without detail.
        guard made < retry.schedule.count, let last = attempts.last(where: { $0.number == delivery.attempts }) else {
            return NextAttempt(at: at, reason: .schedule, detail: "A retry after attempt \(delivery.attempts) failed.")
        }
        let entry = retry.schedule[made]
        let ended = last.startedAt.addingTimeInterval(Double(last.durationMilliseconds) / 1_000)
        let waited = at.timeIntervalSince(ended)
        let widest = entry.timeInterval * (1 + retry.jitter)
        if waited > widest + tolerance {
            return NextAttempt(
                at: at, reason: .retryAfter,
                detail:
                    "The destination's Retry-After asked for \(DurationText.spoken(waited)), longer than the schedule's \(DurationText.spoken(entry.timeInterval))."
            )
        }
        let jitter = Int((retry.jitter * 100).rounded())
        return NextAttempt(
            at: at, reason: .schedule,
            detail: "Retry \(made) of \(retry.schedule.count - 1) in the schedule: \(DurationText.spoken(entry.timeInterval))"
                + (jitter > 0 ? " ± \(jitter) %" : "") + " after attempt \(last.number) failed.")
    }
}
