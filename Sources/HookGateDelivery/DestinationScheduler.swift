import Foundation

/// One destination's admission state, as a value: how many attempts are under way and being recorded, its circuit
/// breaker, its replay pacer, and whether its last lease found nothing due. ``DeliveryService`` keeps one per
/// destination and does the I/O; every decision about what may be leased is here, with time and news passed in, so
/// that it is tested exactly, without sleeps or sockets.
///
/// An attempt moves through three counts: leased (``grant(now:news:)`` reserves its slot in `inFlight`), its HTTP
/// exchange ended (``exchangeEnded(succeeded:now:)`` moves it to `recording`, freeing the slot), and its outcome
/// committed (``recorded()`` lets it go).
struct DestinationScheduler: Sendable {
    /// What a lease may take: `limit` deliveries, of which at most `replayLimit` bulk-replayed ones.
    struct Grant: Sendable, Equatable {
        var limit: Int
        var replayLimit: Int
    }

    let maxInFlight: Int
    /// How long an empty destination is left alone when no news of work comes.
    let pollInterval: TimeInterval

    /// Attempts whose HTTP exchange is under way (reserved at the grant).
    private(set) var inFlight = 0
    /// Attempts that are over but whose outcome is not committed yet.
    private(set) var recording = 0
    private(set) var breaker: CircuitBreaker
    private var pacer: ReplayPacer
    /// Set when a lease found nothing due: not leased again until news of work comes or the poll interval passes,
    /// so that destinations with nothing to send cost no write at every wake-up of a busy loop.
    private var idle: (news: UInt64, since: Date)?
    /// When the earliest pending delivery is due, as storage said after a lease found nothing due: the destination
    /// is looked at again then, not at the next poll, so a retry or a delayed first attempt goes out on time.
    private var nextDue: Date?

    init(maxInFlight: Int, replayRate: Int, pollInterval: TimeInterval, breaker: CircuitBreaker = CircuitBreaker()) {
        self.maxInFlight = maxInFlight
        self.pollInterval = pollInterval
        self.breaker = breaker
        self.pacer = ReplayPacer(rate: replayRate)
    }

    /// True while an attempt is under way or being recorded: the state must outlive a deleted destination until then.
    var isBusy: Bool { inFlight + recording > 0 }

    /// How many deliveries a lease may take now (nil: do not lease), reserving that many slots.
    ///
    /// A crash sends again what was in flight and what was sent but not yet recorded: at most twice `max_in_flight`,
    /// because the two together may not exceed that. While attempts are under way it leases again only once a
    /// quarter of the slots is free: fewer, larger lease transactions under load, no wait at all when idle. An open
    /// circuit grants nothing, then one probe after its cooldown.
    mutating func grant(now: Date, news: UInt64) -> Grant? {
        if let idle, idle.news == news, let lookAgain, now < lookAgain { return nil }
        let available = max(0, min(maxInFlight - inFlight, 2 * maxInFlight - inFlight - recording))
        guard inFlight == 0 || available >= max(1, maxInFlight / 4) else { return nil }
        let limit = breaker.allowance(capacity: available, now: now)
        guard limit > 0 else { return nil }
        inFlight += limit
        return Grant(limit: limit, replayLimit: min(limit, pacer.allowance(now: now)))
    }

    /// The lease for `grant` took `claimed` deliveries, `replayed` of them bulk-replayed (a failed lease took none).
    /// Gives back the unused slots, and returns when to look again if the replay pace, not the slots, held work back.
    mutating func leased(_ grant: Grant, claimed: Int, replayed: Int, now: Date, news: UInt64) -> Date? {
        // Empty with the whole allowance offered: nothing is due. (Held back by the replay pace is not empty.)
        idle = claimed == 0 && grant.replayLimit == grant.limit ? (news, now) : nil
        nextDue = nil
        if claimed < grant.limit {
            inFlight = max(0, inFlight - (grant.limit - claimed))
            if claimed == 0 { breaker.cancelProbe(now: now) }
        }
        pacer.record(replayed, now: now)
        guard grant.replayLimit < grant.limit, replayed == grant.replayLimit else { return nil }
        return pacer.nextStart
    }

    /// True when the last lease found nothing due: storage's ``learned(nextDue:now:)`` says when to look again.
    var foundNothing: Bool { idle != nil }

    /// Storage says the earliest pending delivery is due at `due` (nil: none is pending). Only a time still to come
    /// counts: one already past was missed for a reason the poll, not a spin, should wait out.
    mutating func learned(nextDue due: Date?, now: Date) {
        guard idle != nil, let due, due > now else { return }
        nextDue = due
    }

    /// When a destination whose last lease found nothing due is looked at again without news: its earliest pending
    /// delivery's due time, or the poll interval after that lease, whichever is sooner. Nil when it was not empty.
    var lookAgain: Date? {
        guard let idle else { return nil }
        let polled = idle.since.addingTimeInterval(pollInterval)
        return nextDue.map { min($0, polled) } ?? polled
    }

    /// An attempt's HTTP exchange has ended: its slot is free, its outcome is being recorded, and its result goes to
    /// the circuit breaker.
    mutating func exchangeEnded(succeeded: Bool, now: Date) {
        inFlight = max(0, inFlight - 1)
        recording += 1
        if succeeded { breaker.recordSuccess() } else { breaker.recordFailure(now: now) }
    }

    /// An attempt's outcome is committed. Returns true when the recording count was what held leases back.
    mutating func recorded() -> Bool {
        let wasFull = inFlight + recording >= 2 * maxInFlight
        recording = max(0, recording - 1)
        return wasFull
    }
}
