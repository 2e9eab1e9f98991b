import Foundation

/// What the delivery workers need of storage: leasing due deliveries and recording their attempts.
///
/// The backlog lives here, never in memory: workers lease a destination's due rows in small batches.
public protocol DeliveryQueue: Sendable {
    /// Leases up to `limit` of `destination`'s pending deliveries that are due at `now` until `leaseUntil`: live
    /// work first, oldest first, then at most `replayLimit` deliveries queued by bulk replays. On PostgreSQL rows
    /// another instance holds are skipped (`FOR UPDATE SKIP LOCKED`).
    func claimDeliveries(
        destination: String, limit: Int, replayLimit: Int, owner: String, now: Date, leaseUntil: Date
    ) async throws -> [ClaimedDelivery]

    /// When `destination`'s earliest pending delivery is due (nil: it has none), so that a worker that found nothing
    /// due now knows when to look again instead of waiting for its next poll.
    func nextDue(destination: String) async throws -> Date?

    /// Puts deliveries whose lease expired (their worker died mid-attempt) back to pending, for one destination or
    /// all; returns how many.
    func releaseExpiredLeases(now: Date, destination: String?) async throws -> Int

    /// Records attempts and the deliveries' new states, all in one transaction. A state changes only while `owner`
    /// still holds the lease; the result says, per completion, whether it did (the attempt is recorded either way).
    func completeDeliveries(_ completions: [DeliveryCompletion], owner: String, now: Date) async throws -> [Bool]

    /// Pending, due, in-flight and dead deliveries per destination.
    func backlog(now: Date) async throws -> [String: DestinationBacklog]

    /// Calls `onNew` whenever any instance announces new deliveries, and once when listening starts (announcements
    /// before it were missed), until cancelled; false at once when the backend has no such notices.
    func watchNewDeliveries(_ onNew: @escaping @Sendable () -> Void) async throws -> Bool
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

extension DeliveryQueue {
    public func releaseExpiredLeases(now: Date) async throws -> Int {
        try await releaseExpiredLeases(now: now, destination: nil)
    }

    /// One completion in its own transaction.
    public func completeDelivery(id: String, owner: String, attempt: DeliveryAttempt, decision: DeliveryDecision, now: Date) async throws -> Bool {
        try await completeDeliveries([DeliveryCompletion(deliveryID: id, attempt: attempt, decision: decision)], owner: owner, now: now).first
            ?? false
    }
}
