import Foundation

/// The delivery side of storage: leasing due deliveries, recording attempts, and the subscriptions that fan out.
///
/// The backlog lives here, never in memory: workers lease a destination's due rows in small batches.
public protocol DeliveryStore: Sendable {
    /// Leases up to `limit` of `destination`'s pending deliveries that are due at `now` until `leaseUntil`: live
    /// work first, oldest first, then at most `replayLimit` deliveries queued by bulk replays. On PostgreSQL rows
    /// another instance holds are skipped (`FOR UPDATE SKIP LOCKED`).
    func claimDeliveries(destination: String, limit: Int, replayLimit: Int, owner: String, now: Date, leaseUntil: Date) async throws -> [ClaimedDelivery]

    /// Puts deliveries whose lease expired (their worker died mid-attempt) back to pending, for one destination or
    /// all; returns how many.
    func releaseExpiredLeases(now: Date, destination: String?) async throws -> Int

    /// Records attempts and the deliveries' new states, all in one transaction. A state changes only while `owner`
    /// still holds the lease; the result says, per completion, whether it did (the attempt is recorded either way).
    func completeDeliveries(_ completions: [DeliveryCompletion], owner: String, now: Date) async throws -> [Bool]

    /// Pending, due, in-flight and dead deliveries per destination.
    func backlog(now: Date) async throws -> [String: DestinationBacklog]

    /// The last successful and the last failed attempt per destination.
    func lastAttempts() async throws -> [String: (success: Date?, failure: Date?)]

    /// Tells the workers of every instance that new deliveries were committed (PostgreSQL `NOTIFY`; nothing on
    /// SQLite, where the one process wakes itself).
    func announceNewDeliveries() async throws

    /// Calls `onNew` whenever any instance announces new deliveries, and once when listening starts (announcements
    /// before it were missed), until cancelled; false at once when the backend has no such notices.
    func watchNewDeliveries(_ onNew: @escaping @Sendable () -> Void) async throws -> Bool

    /// Queues a delivery again now, as a new attempt series (same delivery and `webhook-id`, attempt history kept).
    ///
    /// Every admin write takes the `audit` entry that records it and commits it in the same transaction as the
    /// change (written only when something changed): if the entry cannot be written, the change does not happen.
    func replayDelivery(id: String, now: Date, audit: AuditEntry) async throws -> ReplayResult

    /// How many deliveries a bulk replay with `filter` would match (a dry run: nothing changes).
    func countReplay(_ filter: ReplayFilter) async throws -> Int

    /// Records the bulk replay `id`, with the audit entry made from how many deliveries `filter` matched, then queues
    /// those deliveries (in-flight ones excepted) again as new attempt series belonging to it, in chunks.
    func createReplay(
        id: String, filter: ReplayFilter, description: String, actor: String, now: Date, audit: @escaping @Sendable (_ matched: Int) -> AuditEntry
    ) async throws -> ReplayCounts

    /// A bulk replay and its progress; nil when there is none.
    func replayProgress(id: String) async throws -> ReplayProgress?

    /// Puts the replay's deliveries that are not yet sent back as they were before it; returns how many, or nil
    /// when there is no such replay. The audit entry is made from that count.
    func cancelReplay(id: String, now: Date, audit: @escaping @Sendable (_ cancelled: Int) -> AuditEntry) async throws -> Int?

    /// Sends an event again to each planned destination, first attempt due its delay after `now`: an existing
    /// delivery is queued as a new attempt series (same `webhook-id`), a missing one is made. Nil when there is no
    /// such event.
    func redeliver(eventID: String, deliveries: [PlannedDelivery], now: Date, audit: AuditEntry) async throws -> [Redelivery]?

    /// Records a write made through the admin API or the CLI that has no audited method of its own.
    func appendAudit(_ entry: AuditEntry) async throws

    /// The audit log, newest first, before the id cursor `before`.
    func auditLog(limit: Int, before: String?) async throws -> Page<AuditEntry>

    func createSubscription(_ subscription: StoredSubscription, audit: AuditEntry) async throws
    /// Every subscription, active or not, oldest first.
    func subscriptions() async throws -> [StoredSubscription]
    func disableSubscription(id: String, reason: String, now: Date) async throws

    /// Writes the subscription's url, types, sources, description, status and reason. False when there is none.
    func updateSubscription(_ subscription: StoredSubscription, audit: AuditEntry) async throws -> Bool

    /// Makes `secret` the subscription's secret; the old one keeps signing alongside until `overlapUntil`.
    /// False when there is no such subscription.
    func rotateSubscriptionSecret(id: String, secret: String, overlapUntil: Date, now: Date, audit: AuditEntry) async throws -> Bool

    /// Forgets the rotated-out secrets whose overlap has passed (a secret no longer used is not kept); returns how many.
    func clearExpiredPreviousSecrets(now: Date) async throws -> Int

    /// Deletes the subscription and cancels its deliveries that were still to be sent. False when there is none.
    func deleteSubscription(id: String, now: Date, audit: AuditEntry) async throws -> Bool
}

/// One finished attempt and what it leaves its delivery as.
public struct DeliveryCompletion: Sendable {
    public var deliveryID: String
    public var attempt: DeliveryAttempt
    public var decision: DeliveryDecision

    public init(deliveryID: String, attempt: DeliveryAttempt, decision: DeliveryDecision) {
        self.deliveryID = deliveryID
        self.attempt = attempt
        self.decision = decision
    }
}

extension DeliveryStore {
    public func releaseExpiredLeases(now: Date) async throws -> Int {
        try await releaseExpiredLeases(now: now, destination: nil)
    }

    /// One completion in its own transaction.
    public func completeDelivery(id: String, owner: String, attempt: DeliveryAttempt, decision: DeliveryDecision, now: Date) async throws -> Bool {
        try await completeDeliveries([DeliveryCompletion(deliveryID: id, attempt: attempt, decision: decision)], owner: owner, now: now).first ?? false
    }
}

/// What asking for a replay did.
public enum ReplayResult: Sendable, Equatable {
    case queued
    /// An attempt is under way; replaying it now would send it twice at once.
    case inFlight
    case notFound
}
