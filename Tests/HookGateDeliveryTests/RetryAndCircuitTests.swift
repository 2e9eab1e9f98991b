import Foundation
import Testing

@testable import HookGateCore
@testable import HookGateDelivery

@Suite("Retry schedule and circuit breaker")
struct RetryAndCircuitTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let policy = HookGateConfiguration.RetryPolicy(schedule: [.seconds(0), .seconds(5), .seconds(300), .seconds(1_800)], jitter: 0.2)

    func delay(_ decision: DeliveryDecision) -> TimeInterval? {
        if case .retry(let at) = decision { return at.timeIntervalSince(now) }
        return nil
    }

    @Test("the delay before attempt n+1 is schedule[n] within the jitter; after the last attempt, dead")
    func schedule() {
        let planner = RetryPlanner(policy: policy)
        #expect(delay(planner.decision(afterAttempt: 1, retryAfter: nil, now: now, random: 0.5)) == 5)
        #expect(delay(planner.decision(afterAttempt: 2, retryAfter: nil, now: now, random: 0.5)) == 300)
        #expect(delay(planner.decision(afterAttempt: 2, retryAfter: nil, now: now, random: 0)) == 240)
        #expect(delay(planner.decision(afterAttempt: 2, retryAfter: nil, now: now, random: 0.999_999)).map { $0 > 359.9 && $0 <= 360 } == true)
        #expect(delay(planner.decision(afterAttempt: 3, retryAfter: nil, now: now, random: 0.5)) == 1_800)
        #expect(planner.decision(afterAttempt: 4, retryAfter: nil, now: now, random: 0.5) == .dead)
        #expect(planner.decision(afterAttempt: 9, retryAfter: nil, now: now, random: 0.5) == .dead)
    }

    @Test("property: every jittered delay stays within ±jitter of the schedule")
    func jitterBounds() {
        let planner = RetryPlanner(policy: policy)
        for _ in 0..<2_000 {
            let attempt = Int.random(in: 1...3)
            let base = TimeInterval(policy.schedule[attempt].components.seconds)
            let seconds = delay(planner.decision(afterAttempt: attempt, retryAfter: nil, now: now, random: Double.random(in: 0..<1)))!
            #expect(seconds >= base * 0.8 - 0.001 && seconds <= base * 1.2 + 0.001)
        }
    }

    @Test("no hidden floor: the schedule alone sets the delay; Retry-After is honoured, clamped to an hour")
    func throttling() {
        let planner = RetryPlanner(policy: HookGateConfiguration.RetryPolicy(schedule: [.seconds(3), .seconds(1), .seconds(1)], jitter: 0))
        #expect(planner.policy.firstDelay == .seconds(3), "the first entry is the delay before the first attempt")
        #expect(
            delay(planner.decision(afterAttempt: 1, retryAfter: nil, now: now, random: 0.5)) == 1,
            "a timeout or a 429 waits the schedule's 1 s, not a minute")
        #expect(HookGateConfiguration.RetryPolicy(schedule: [], jitter: 0).firstDelay == .zero)
        #expect(delay(planner.decision(afterAttempt: 2, retryAfter: .seconds(30), now: now, random: 0.5)) == 30)
        #expect(planner.decision(afterAttempt: 3, retryAfter: .seconds(30), now: now, random: 0.5) == .dead, "Retry-After never adds an attempt")
        let standard = RetryPlanner(policy: policy)
        #expect(delay(standard.decision(afterAttempt: 1, retryAfter: .seconds(120), now: now, random: 0.5)) == 120)
        #expect(delay(standard.decision(afterAttempt: 2, retryAfter: .seconds(10), now: now, random: 0.5)) == 300)
        #expect(delay(standard.decision(afterAttempt: 1, retryAfter: .seconds(86_400), now: now, random: 0.5)) == 3_600)
        #expect(RetryPlanner.retryAfter("120", now: now) == .seconds(120))
        #expect(RetryPlanner.retryAfter("Fri, 15 Jan 2027 08:00:30 GMT", now: now) == .seconds(30))
        #expect(RetryPlanner.retryAfter("Fri, 15 Jan 2027 07:00:00 GMT", now: now) == .seconds(0))
        #expect(RetryPlanner.retryAfter("soon", now: now) == nil)
        #expect(RetryPlanner.retryAfter("-5", now: now) == nil)
        #expect(RetryPlanner.retryAfter(nil, now: now) == nil)
    }

    @Test("the circuit opens after five consecutive failures, probes once after the cooldown, closes on success")
    func circuit() {
        var breaker = CircuitBreaker()
        for _ in 0..<4 { breaker.recordFailure(now: now) }
        #expect(breaker.allowance(capacity: 8, now: now) == 8)
        breaker.recordSuccess()
        for _ in 0..<4 { breaker.recordFailure(now: now) }
        #expect(breaker.state == .closed(consecutiveFailures: 4), "a success resets the count")
        breaker.recordFailure(now: now)
        #expect(breaker.state == .open(until: now.addingTimeInterval(30)))
        #expect(breaker.allowance(capacity: 8, now: now.addingTimeInterval(29)) == 0)
        #expect(breaker.allowance(capacity: 8, now: now.addingTimeInterval(30)) == 1)
        #expect(breaker.state == .halfOpen)
        #expect(breaker.allowance(capacity: 8, now: now.addingTimeInterval(31)) == 0, "one probe at a time")
        breaker.recordFailure(now: now.addingTimeInterval(32))
        #expect(breaker.state == .open(until: now.addingTimeInterval(62)), "a failed probe opens it again")
        #expect(breaker.allowance(capacity: 8, now: now.addingTimeInterval(62)) == 1)
        breaker.recordSuccess()
        #expect(breaker.allowance(capacity: 8, now: now.addingTimeInterval(63)) == 8)
    }

    @Test("a probe that found nothing to send leaves the circuit open and ready to probe again")
    func cancelledProbe() {
        var breaker = CircuitBreaker(threshold: 1, cooldown: 10)
        breaker.recordFailure(now: now)
        #expect(breaker.allowance(capacity: 4, now: now.addingTimeInterval(10)) == 1)
        breaker.cancelProbe(now: now.addingTimeInterval(10))
        #expect(breaker.allowance(capacity: 4, now: now.addingTimeInterval(10)) == 1)
        #expect(breaker.allowance(capacity: 0, now: now.addingTimeInterval(11)) == 0)
    }
}
