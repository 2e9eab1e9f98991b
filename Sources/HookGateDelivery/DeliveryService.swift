import Foundation
import HookGateCore
import Logging
import ServiceLifecycle
import Synchronization

/// The delivery workers (DESIGN.md §3, §7), as a service inside `hookgate serve`.
///
/// One loop leases due deliveries per destination, never more than the destination's free `max_in_flight` slots
/// and nothing while its circuit is open, and runs each attempt as its own task; so a hanging destination holds
/// only its own slots. The backlog stays in the database: memory holds only what is in flight.
public final class DeliveryService: Service, CustomStringConvertible {
    private let queue: any DeliveryQueue
    private let subscriptionGone: SubscriptionGone
    private let directory: DestinationDirectory
    private let sender: DeliverySender
    private let wake: WakeSignal
    private let metrics: DeliveryMetrics?
    private let logger: Logger
    /// This instance's lease owner name.
    let owner: String
    private let pollInterval: Duration
    private let maintenanceInterval: TimeInterval
    private let ready: @Sendable () async throws -> Void
    private let leaseGrace: TimeInterval
    /// Each destination's admission state, by destination name; created at its first lease.
    private let schedulers = Mutex<[String: DestinationScheduler]>([:])
    private let completions: CompletionBatcher
    private let stopping = Atomic<Bool>(false)
    private let maintaining = Atomic<Bool>(false)

    /// Takes a subscription whose endpoint answered 410 Gone out of service (DESIGN.md §8), given its id.
    public typealias SubscriptionGone = @Sendable (_ subscriptionID: String, _ now: Date) async throws -> Void

    /// - Parameters:
    ///   - subscriptionGone: called after a subscription's 410 is recorded; nothing more is leased for it meanwhile.
    ///   - pollInterval: the backstop for work committed by other instances; local commits wake the loop at once.
    ///   - maintenanceInterval: how often expired leases are released and the backlog measured.
    ///   - leaseGrace: how much longer than the attempt's timeout a lease lasts (DESIGN.md §7: at most 30 s). A
    ///     crashed instance's deliveries are retried this long after their timeout.
    ///   - ready: returns once storage is migrated; the workers start after it.
    public init(
        queue: any DeliveryQueue, subscriptionGone: @escaping SubscriptionGone, directory: DestinationDirectory, sender: DeliverySender,
        wake: WakeSignal, metrics: DeliveryMetrics?, logger: Logger, pollInterval: Duration = .seconds(1), maintenanceInterval: TimeInterval = 5,
        leaseGrace: TimeInterval = 30, ready: @escaping @Sendable () async throws -> Void
    ) {
        self.ready = ready
        self.leaseGrace = min(30, max(0, leaseGrace))
        self.queue = queue
        self.subscriptionGone = subscriptionGone
        self.directory = directory
        self.sender = sender
        self.wake = wake
        self.metrics = metrics
        self.logger = logger
        let owner = "\(ProcessInfo.processInfo.hostName)/\(ProcessInfo.processInfo.processIdentifier)/\(Identifier.make(prefix: ""))"
        self.owner = owner
        self.completions = CompletionBatcher(queue: queue, owner: owner)
        self.pollInterval = pollInterval
        self.maintenanceInterval = maintenanceInterval
    }

    /// Workers over `store`'s queue that disable a subscription answering 410 Gone in `store` and `directory`.
    public convenience init(
        store: any DeliveryQueue & SubscriptionStore, directory: DestinationDirectory, sender: DeliverySender, wake: WakeSignal,
        metrics: DeliveryMetrics?, logger: Logger, pollInterval: Duration = .seconds(1), maintenanceInterval: TimeInterval = 5,
        leaseGrace: TimeInterval = 30, ready: @escaping @Sendable () async throws -> Void
    ) {
        self.init(
            queue: store,
            subscriptionGone: { id, now in
                try await store.disableSubscription(id: id, reason: "the endpoint answered 410 Gone", now: now)
                try await directory.reload(from: store)
            },
            directory: directory, sender: sender, wake: wake, metrics: metrics, logger: logger, pollInterval: pollInterval,
            maintenanceInterval: maintenanceInterval, leaseGrace: leaseGrace, ready: ready
        )
    }

    public var description: String { "DeliveryService" }

    /// The longest the loop waits for one storage call (see ``withDeadline(_:_:)``).
    static let storageDeadline: Duration = .seconds(5)

    public func run() async throws {
        try await ready()
        await withDiscardingTaskGroup { service in
            // The outcome writer outlives the loop: it returns once stopped and drained, after the last attempt.
            service.addTask { await self.completions.run() }
            await withDiscardingTaskGroup { watchers in
                watchers.addTask { await self.watchOtherInstances() }
                await withGracefulShutdownHandler {
                    await self.leaseAndAttempt()
                } onGracefulShutdown: {
                    // Stop leasing; attempts under way finish (each is bounded by its destination's timeout).
                    self.stopping.store(true, ordering: .relaxed)
                    self.wake.signal()
                }
                watchers.cancelAll()
            }
            // Every attempt has finished: write the last outcomes, then let go of the HTTP clients.
            completions.stop()
        }
        await sender.shutdown()
    }

    /// The loop: leases each destination's due work and runs every attempt as a child task; returns once stopping
    /// and every attempt has ended.
    private func leaseAndAttempt() async {
        await withDiscardingTaskGroup { group in
            var lastMaintenance = Date.distantPast
            while !stopping.load(ordering: .relaxed) && !Task.isCancelled {
                let now = Date()
                // Maintenance runs beside the loop: counting a million-row backlog must not hold up deliveries.
                if now.timeIntervalSince(lastMaintenance) >= maintenanceInterval,
                    maintaining.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged
                {
                    lastMaintenance = now
                    group.addTask {
                        await self.maintain(now: now)
                        self.maintaining.store(false, ordering: .relaxed)
                    }
                }
                var timeout = pollInterval
                // Read before leasing: news that comes during the leases makes an empty destination look again.
                let news = wake.news
                for destination in directory.all where !stopping.load(ordering: .relaxed) && !Task.isCancelled {
                    let (claimed, lookAgain) = await lease(destination, now: now, news: news)
                    for delivery in claimed {
                        group.addTask { await self.attempt(delivery, to: destination) }
                    }
                    if let lookAgain {
                        timeout = min(timeout, .milliseconds(max(1, Int64((lookAgain.timeIntervalSince(now) * 1_000).rounded(.up)))))
                    }
                }
                await wake.wait(timeout: timeout)
            }
        }
    }

    /// Leases as many of the destination's due deliveries as it has free slots (one probe when its circuit allows),
    /// bulk-replayed ones within the destination's replay pace. Also says when to look again without news: when
    /// replayed work held back by that pace may go, or when the next pending delivery is due.
    private func lease(_ destination: Destination, now: Date, news: UInt64) async -> (claimed: [ClaimedDelivery], lookAgain: Date?) {
        let pollSeconds = pollInterval / .milliseconds(1) / 1_000
        let grant = schedulers.withLock { all -> DestinationScheduler.Grant? in
            var scheduler =
                all[destination.name]
                ?? DestinationScheduler(maxInFlight: destination.maxInFlight, replayRate: destination.replayRate, pollInterval: pollSeconds)
            defer { all[destination.name] = scheduler }
            return scheduler.grant(now: now, news: news)
        }
        guard let grant else { return ([], schedulers.withLock { $0[destination.name]?.lookAgain }) }
        // A worker that dies mid-attempt loses its lease after the timeout plus the grace; another instance retries then.
        let leaseUntil = now.addingTimeInterval(destination.timeout.timeInterval + leaseGrace)
        let claimed: [ClaimedDelivery]
        do {
            let queue = self.queue
            let owner = self.owner
            claimed = try await withDeadline(Self.storageDeadline) {
                try await queue.claimDeliveries(
                    destination: destination.name, limit: grant.limit, replayLimit: grant.replayLimit, owner: owner, now: now, leaseUntil: leaseUntil
                )
            }
        } catch {
            logger.warning("cannot lease deliveries", metadata: ["hookgate.destination": "\(destination.name)", "hookgate.error": "\(error)"])
            claimed = []
        }
        let (pacedUntil, foundNothing) = schedulers.withLock { all in
            let pacedUntil = all[destination.name]?.leased(
                grant, claimed: claimed.count, replayed: claimed.count(where: \.replayed), now: now, news: news)
            return (pacedUntil, all[destination.name]?.foundNothing ?? false)
        }
        guard foundNothing else { return (claimed, pacedUntil) }
        let nextDue: Date?
        do {
            let queue = self.queue
            nextDue = try await withDeadline(Self.storageDeadline) { try await queue.nextDue(destination: destination.name) }
        } catch {
            // The poll interval is the backstop.
            nextDue = nil
        }
        return (
            claimed,
            schedulers.withLock { all in
                all[destination.name]?.learned(nextDue: nextDue, now: now)
                return all[destination.name]?.lookAgain
            }
        )
    }

    private func attempt(_ delivery: ClaimedDelivery, to destination: Destination) async {
        let started = Date()
        let clock = ContinuousClock.now
        let result = await sender.send(delivery, to: destination, now: started)
        let duration = clock.duration(to: .now)
        let now = Date()
        let number = delivery.attempts + 1
        let decision: DeliveryDecision
        switch result.failure {
        case nil:
            decision = .succeeded
        case .status(410) where destination.isSubscription:
            decision = .cancelled
        case .some:
            decision = RetryPlanner(policy: destination.retry).decision(
                afterAttempt: number - delivery.seriesStart, retryAfter: result.retryAfter, now: now, random: Double.random(in: 0..<1)
            )
        }
        let record = DeliveryAttempt(
            number: number, startedAt: started,
            durationMilliseconds: Int(duration.components.seconds * 1_000 + duration.components.attoseconds / 1_000_000_000_000_000),
            statusCode: result.statusCode, error: result.failure?.errorKind, responseSnippet: result.responseSnippet
        )
        // The HTTP exchange is over, so its slot is free for the next one while the outcome waits for its group
        // commit (the row stays leased until then, so nothing is sent twice meanwhile). A 410 keeps its slot until
        // the subscription is disabled, so that nothing more is leased for an endpoint that is gone.
        let gone = decision == .cancelled
        let circuit = gone ? nil : exchangeEnded(destination, succeeded: result.failure == nil, now: now)
        do {
            let kept = try await completions.complete(DeliveryCompletion(deliveryID: delivery.id, attempt: record, decision: decision))
            if !kept {
                logger.warning("delivery lease was lost before the attempt finished", metadata: ["hookgate.delivery_id": "\(delivery.id)"])
            }
        } catch {
            // The lease expires and the delivery is attempted again: at-least-once, consumers dedupe on webhook-id.
            logger.error("cannot record delivery attempt", metadata: ["hookgate.delivery_id": "\(delivery.id)", "hookgate.error": "\(error)"])
        }
        if gone, let id = destination.subscriptionID {
            let subscriptionGone = self.subscriptionGone
            do {
                try await withDeadline(Self.storageDeadline) { try await subscriptionGone(id, now) }
            } catch {
                logger.warning("cannot disable a gone subscription", metadata: ["hookgate.subscription_id": "\(id)", "hookgate.error": "\(error)"])
            }
        }
        let state = circuit ?? exchangeEnded(destination, succeeded: false, now: now)
        recorded(destination, failed: result.failure != nil)
        metrics?.circuit(destination: destination.name, state: state)
        metrics?.attempt(destination: destination.name, outcome: Self.outcome(decision), duration: duration)
        logger.debug(
            "delivery attempt",
            metadata: [
                "hookgate.delivery_id": "\(delivery.id)", "hookgate.event_id": "\(delivery.eventID)", "hookgate.destination": "\(destination.name)",
                "hookgate.status": "\(result.statusCode.map(String.init) ?? result.failure?.errorKind ?? "-")",
            ])
    }

    /// An attempt's HTTP exchange has ended: its slot is free, and its result goes to the circuit breaker, whose gauge
    /// value comes back. Wakes the loop: there is a free slot.
    private func exchangeEnded(_ destination: Destination, succeeded: Bool, now: Date) -> Int {
        let circuit = schedulers.withLock { all -> Int in
            all[destination.name]?.exchangeEnded(succeeded: succeeded, now: now)
            return all[destination.name]?.breaker.gaugeValue ?? 0
        }
        wake.slotFreed()
        return circuit
    }

    /// An attempt's outcome is committed. Wakes the loop if that was what held leases back, and counts as news of
    /// work after a failure, whose retry may already be due now that it is committed.
    private func recorded(_ destination: Destination, failed: Bool) {
        let wasFull = schedulers.withLock { all in all[destination.name]?.recorded() ?? false }
        if failed { wake.signal() } else if wasFull { wake.slotFreed() }
    }

    /// Wakes the loop when another instance commits deliveries (PostgreSQL `LISTEN`), reconnecting after errors;
    /// returns at once on SQLite.
    private func watchOtherInstances() async {
        let wake = self.wake
        while !Task.isCancelled {
            do {
                guard try await queue.watchNewDeliveries({ wake.signal() }) else { return }
            } catch {
                if Task.isCancelled { return }
                logger.debug("delivery notifications interrupted", metadata: ["hookgate.error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    private func maintain(now: Date) async {
        let queue = self.queue
        do {
            let released = try await withDeadline(Self.storageDeadline) { try await queue.releaseExpiredLeases(now: now) }
            if released > 0 { logger.notice("released expired delivery leases", metadata: ["hookgate.count": "\(released)"]) }
            let known = Set(directory.all.map(\.name))
            // A deleted subscription's breaker and pacer go with it, once its last attempt is recorded.
            schedulers.withLock { all in
                all = all.filter { known.contains($0.key) || $0.value.isBusy }
            }
            await sender.shutdownIdleClients()
            if let metrics {
                let backlog = try await withDeadline(Self.storageDeadline) { try await queue.backlog(now: now) }
                metrics.backlog(backlog, destinations: known, now: now)
            }
        } catch {
            logger.warning("delivery maintenance failed", metadata: ["hookgate.error": "\(error)"])
        }
    }

    /// The circuit state of every destination that has had an attempt (for the destinations view).
    public func circuitStates() -> [String: String] {
        schedulers.withLock { $0.mapValues(\.breaker.name) }
    }

    private static func outcome(_ decision: DeliveryDecision) -> String {
        switch decision {
        case .succeeded: "succeeded"
        case .retry: "retry"
        case .dead: "dead"
        case .cancelled: "cancelled"
        }
    }
}
