import Foundation
import Testing

@testable import HookGateDelivery

/// The delivery loop's admission decisions, transition by transition, with time and news of work passed in: no
/// sleeps, no sockets, no database.
@Suite("Destination scheduler")
struct DestinationSchedulerTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func scheduler(maxInFlight: Int = 8, replayRate: Int = 1_000, breaker: CircuitBreaker = CircuitBreaker()) -> DestinationScheduler {
        DestinationScheduler(maxInFlight: maxInFlight, replayRate: replayRate, pollInterval: 1, breaker: breaker)
    }

    /// A grant taken and leased with `claimed` deliveries, as the loop does when the assertions are about what follows.
    func lease(_ s: inout DestinationScheduler, claimed: Int, replayed: Int, now: Date, news: UInt64) throws {
        let granted = s.grant(now: now, news: news)
        _ = s.leased(try #require(granted), claimed: claimed, replayed: replayed, now: now, news: news)
    }

    @Test("an idle destination is offered all its slots, and the unused ones come back after the lease")
    func fullGrantAndUnusedSlots() throws {
        var s = scheduler()
        let granted1 = s.grant(now: t0, news: 0)
        let grant = try #require(granted1)
        #expect(grant == .init(limit: 8, replayLimit: 8))
        #expect(s.inFlight == 8)
        let lookAgain1 = s.leased(grant, claimed: 3, replayed: 0, now: t0, news: 0)
        #expect(lookAgain1 == nil)
        #expect(s.inFlight == 3)
    }

    @Test("while attempts are under way, it leases again only once a quarter of the slots is free")
    func quarterRule() throws {
        var s = scheduler()
        try lease(&s, claimed: 8, replayed: 0, now: t0, news: 0)
        s.exchangeEnded(succeeded: true, now: t0)
        let granted3 = s.grant(now: t0, news: 1)
        #expect(granted3 == nil, "one free slot of eight")
        s.exchangeEnded(succeeded: true, now: t0)
        let granted4 = s.grant(now: t0, news: 1)
        #expect(granted4 == .init(limit: 2, replayLimit: 2))
        #expect(s.inFlight == 8)
    }

    @Test("in flight and being recorded together never exceed twice max_in_flight")
    func recordingBound() throws {
        var s = scheduler(maxInFlight: 4)
        try lease(&s, claimed: 4, replayed: 0, now: t0, news: 0)
        for _ in 0..<4 { s.exchangeEnded(succeeded: true, now: t0) }
        #expect(s.inFlight == 0 && s.recording == 4)
        let granted6 = s.grant(now: t0, news: 1)
        let second = try #require(granted6)
        #expect(second.limit == 4)
        _ = s.leased(second, claimed: 4, replayed: 0, now: t0, news: 1)
        s.exchangeEnded(succeeded: true, now: t0)
        #expect(s.inFlight == 3 && s.recording == 5)
        let granted7 = s.grant(now: t0, news: 2)
        #expect(granted7 == nil, "a slot is free, but eight attempts are unrecorded or in flight")
        let wasFull1 = s.recorded()
        #expect(wasFull1, "the recording count was what held leases back")
        let granted8 = s.grant(now: t0, news: 2)
        #expect(granted8 == .init(limit: 1, replayLimit: 1))
        let wasFull2 = s.recorded()
        #expect(wasFull2, "four in flight and four recording: full again")
        s.exchangeEnded(succeeded: true, now: t0)
        let wasFull3 = s.recorded()
        #expect(!wasFull3, "seven of eight")
        #expect(s.inFlight == 3 && s.recording == 3 && s.isBusy)
    }

    @Test("a destination with nothing due is not leased again until news of work comes or the poll interval passes")
    func idleUntilNews() throws {
        var s = scheduler()
        try lease(&s, claimed: 0, replayed: 0, now: t0, news: 7)
        #expect(s.inFlight == 0)
        let granted10 = s.grant(now: t0.addingTimeInterval(0.5), news: 7)
        #expect(granted10 == nil)
        let granted11 = s.grant(now: t0.addingTimeInterval(0.5), news: 8)
        #expect(granted11 != nil, "news of work")
        var other = scheduler()
        try lease(&other, claimed: 0, replayed: 0, now: t0, news: 7)
        let granted12 = other.grant(now: t0.addingTimeInterval(1), news: 7)
        #expect(granted12 != nil, "the poll interval passed")
    }

    @Test("an empty destination is looked at again when its next pending delivery is due, not at the next poll")
    func lookAgainAtNextDue() throws {
        var s = scheduler()
        try lease(&s, claimed: 0, replayed: 0, now: t0, news: 7)
        #expect(s.foundNothing && s.lookAgain == t0.addingTimeInterval(1), "nothing known: the poll interval")
        s.learned(nextDue: t0.addingTimeInterval(0.3), now: t0)
        #expect(s.lookAgain == t0.addingTimeInterval(0.3))
        let early = s.grant(now: t0.addingTimeInterval(0.29), news: 7)
        #expect(early == nil, "not due yet")
        let due = s.grant(now: t0.addingTimeInterval(0.3), news: 7)
        let grant = try #require(due, "due: leased without news")
        _ = s.leased(grant, claimed: 1, replayed: 0, now: t0.addingTimeInterval(0.3), news: 7)
        #expect(!s.foundNothing && s.lookAgain == nil, "it found work")

        var later = scheduler()
        try lease(&later, claimed: 0, replayed: 0, now: t0, news: 7)
        later.learned(nextDue: t0.addingTimeInterval(30), now: t0)
        #expect(later.lookAgain == t0.addingTimeInterval(1), "the poll interval stays the backstop")
        var missed = scheduler()
        try lease(&missed, claimed: 0, replayed: 0, now: t0, news: 7)
        missed.learned(nextDue: t0.addingTimeInterval(-5), now: t0)
        #expect(missed.lookAgain == t0.addingTimeInterval(1), "a due time already past is the poll's, not a spin")
        var busy = scheduler()
        try lease(&busy, claimed: 2, replayed: 0, now: t0, news: 7)
        busy.learned(nextDue: t0.addingTimeInterval(0.3), now: t0)
        #expect(busy.lookAgain == nil, "a destination that found work is woken by its freed slots")
    }

    @Test("an open circuit grants nothing, then one probe after its cooldown; an unused probe may go again at once")
    func circuit() throws {
        var s = scheduler(breaker: CircuitBreaker(threshold: 2, cooldown: 30))
        try lease(&s, claimed: 2, replayed: 0, now: t0, news: 0)
        s.exchangeEnded(succeeded: false, now: t0)
        s.exchangeEnded(succeeded: false, now: t0)
        #expect(s.breaker.name == "open")
        let granted14 = s.grant(now: t0.addingTimeInterval(29), news: 1)
        #expect(granted14 == nil)
        let granted15 = s.grant(now: t0.addingTimeInterval(30), news: 1)
        let probe = try #require(granted15)
        #expect(probe.limit == 1 && s.breaker.name == "half_open")
        let granted16 = s.grant(now: t0.addingTimeInterval(30), news: 2)
        #expect(granted16 == nil, "one probe at a time")
        _ = s.leased(probe, claimed: 0, replayed: 0, now: t0.addingTimeInterval(30), news: 2)
        #expect(s.breaker.name == "open")
        let granted17 = s.grant(now: t0.addingTimeInterval(30), news: 3)
        let again = try #require(granted17)
        #expect(again.limit == 1)
        _ = s.leased(again, claimed: 1, replayed: 0, now: t0.addingTimeInterval(30), news: 3)
        s.exchangeEnded(succeeded: true, now: t0.addingTimeInterval(31))
        #expect(s.breaker.name == "closed")
        let granted18 = s.grant(now: t0.addingTimeInterval(31), news: 4)
        #expect(granted18?.limit == 8)
    }

    @Test("replayed work is held to replay_rate per second, and a lease the pace capped says when to look again")
    func replayPace() throws {
        var s = scheduler(replayRate: 2)
        let granted19 = s.grant(now: t0, news: 0)
        let grant = try #require(granted19)
        #expect(grant == .init(limit: 8, replayLimit: 2))
        let lookAgain3 = s.leased(grant, claimed: 2, replayed: 2, now: t0, news: 0)
        #expect(lookAgain3 == t0.addingTimeInterval(1))
        let granted20 = s.grant(now: t0.addingTimeInterval(0.5), news: 0)
        let held = try #require(granted20)
        #expect(held.replayLimit == 0, "the window is full")
        let lookAgain4 = s.leased(held, claimed: 0, replayed: 0, now: t0.addingTimeInterval(0.5), news: 0)
        #expect(lookAgain4 == t0.addingTimeInterval(1), "the pace capped it: look again when the window moves on")
        let granted21 = s.grant(now: t0.addingTimeInterval(0.6), news: 0)
        #expect(granted21 != nil, "held back by the pace is not idle")
        var fresh = scheduler(replayRate: 2)
        let granted22 = fresh.grant(now: t0, news: 0)
        let uncapped = try #require(granted22)
        let lookAgain5 = fresh.leased(uncapped, claimed: 1, replayed: 1, now: t0, news: 0)
        #expect(lookAgain5 == nil, "the pace did not cap it")
    }
}
