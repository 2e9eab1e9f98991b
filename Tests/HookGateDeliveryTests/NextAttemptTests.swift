import Foundation
import Testing

@testable import HookGateCore
@testable import HookGateDelivery

@Suite("Next attempt and why")
struct NextAttemptTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let policy = HookGateConfiguration.RetryPolicy(schedule: [.seconds(0), .seconds(5), .seconds(300), .seconds(1_800)], jitter: 0.2)

    /// A pending delivery whose attempt `number` failed at `now` after 120 ms, rescheduled by the real planner.
    func retried(number: Int, seriesStart: Int = 0, retryAfter: Duration?, random: Double) -> (DeliverySummary, [DeliveryAttempt]) {
        let attempt = DeliveryAttempt(
            number: number, startedAt: now.addingTimeInterval(-0.12), durationMilliseconds: 120, statusCode: 503, error: nil, responseSnippet: nil)
        guard
            case .retry(let at) = RetryPlanner(policy: policy).decision(
                afterAttempt: number - seriesStart, retryAfter: retryAfter, now: now, random: random)
        else { Issue.record("the planner gave up"); return (delivery(status: .dead, attempts: number), [attempt]) }
        return (delivery(status: .pending, attempts: number, next: at, seriesStart: seriesStart), [attempt])
    }

    func delivery(status: DeliveryStatus, attempts: Int, next: Date? = nil, seriesStart: Int = 0, replay: String? = nil) -> DeliverySummary {
        DeliverySummary(
            id: "dlv_1", eventID: "evt_1", destination: "target:billing", status: status, attempts: attempts, nextAttemptAt: next, lastStatus: 503,
            seriesStart: seriesStart, replayID: replay)
    }

    @Test("a wait the planner set from the schedule names the entry, at either end of the jitter")
    func schedule() throws {
        for random in [0.0, 0.5, 0.999_999] {
            let (delivery, attempts) = retried(number: 2, retryAfter: nil, random: random)
            let next = try #require(NextAttempt.of(delivery, attempts: attempts, retry: policy, circuit: "closed", now: now))
            #expect(next.reason == .schedule)
            #expect(next.at == delivery.nextAttemptAt)
            #expect(next.detail == "Retry 2 of 3 in the schedule: 5 min ± 20 % after attempt 2 failed.")
        }
    }

    @Test("a wait longer than the widest jitter came from Retry-After, and says how long")
    func retryAfter() throws {
        let (delivery, attempts) = retried(number: 1, retryAfter: .seconds(120), random: 0.5)
        let next = try #require(NextAttempt.of(delivery, attempts: attempts, retry: policy, circuit: nil, now: now))
        #expect(next.reason == .retryAfter)
        #expect(next.detail.contains("asked for 2 min") && next.detail.contains("schedule's 5 s"))
        // A Retry-After shorter than the schedule changes nothing, so it is the schedule's wait.
        let (shorter, its) = retried(number: 2, retryAfter: .seconds(10), random: 0.5)
        #expect(NextAttempt.of(shorter, attempts: its, retry: policy, circuit: nil, now: now)?.reason == .schedule)
    }

    @Test("a replayed series counts its retries from its own start")
    func series() throws {
        let (delivery, attempts) = retried(number: 5, seriesStart: 4, retryAfter: nil, random: 0.5)
        let next = try #require(NextAttempt.of(delivery, attempts: attempts, retry: policy, circuit: nil, now: now))
        #expect(next.detail.hasPrefix("Retry 1 of 3 in the schedule: 5 s"))
        let fresh = self.delivery(status: .pending, attempts: 4, next: now, seriesStart: 4)
        #expect(NextAttempt.of(fresh, attempts: attempts, retry: policy, circuit: nil, now: now)?.reason == .firstAttempt)
        let new = self.delivery(status: .pending, attempts: 0, next: now)
        #expect(NextAttempt.of(new, attempts: [], retry: policy, circuit: nil, now: now)?.detail == "The first attempt.")
    }

    @Test("due behind an open circuit, queued by a bulk replay, in flight, or finished")
    func states() throws {
        let (delivery, attempts) = retried(number: 1, retryAfter: nil, random: 0.5)
        let later = now.addingTimeInterval(60)
        #expect(NextAttempt.of(delivery, attempts: attempts, retry: policy, circuit: "open", now: later)?.reason == .circuitOpen)
        // Not yet due: the circuit may well have closed by then, so the schedule is the reason.
        #expect(NextAttempt.of(delivery, attempts: attempts, retry: policy, circuit: "open", now: now)?.reason == .schedule)
        let replayed = self.delivery(status: .pending, attempts: 3, next: now, seriesStart: 3, replay: "rpl_1")
        let replay = try #require(NextAttempt.of(replayed, attempts: [], retry: policy, circuit: nil, now: now))
        #expect(replay.reason == .replay && replay.detail.contains("rpl_1"))
        #expect(
            NextAttempt.of(self.delivery(status: .inFlight, attempts: 1), attempts: [], retry: policy, circuit: nil, now: now)?.reason == .inFlight)
        for status in [DeliveryStatus.succeeded, .dead, .cancelled] {
            #expect(NextAttempt.of(self.delivery(status: status, attempts: 1), attempts: attempts, retry: policy, circuit: nil, now: now) == nil)
        }
    }

    @Test("waits read the way people say them")
    func describe() {
        #expect(DurationText.spoken(0) == "0 s")
        #expect(DurationText.spoken(59.6) == "1 min")
        #expect(DurationText.spoken(90) == "1 min 30 s")
        #expect(DurationText.spoken(3_600) == "1 h")
        #expect(DurationText.spoken(9_000) == "2 h 30 min")
    }
}
