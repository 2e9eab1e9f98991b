import Foundation

/// Sending stored events again: one delivery, an event to chosen destinations, or a bulk replay by filter.
///
/// Every method takes the `audit` entry that records it and commits it in the same transaction as the change
/// (written only when something changed): if the entry cannot be written, the change does not happen.
public protocol ReplayStore: Sendable {
    /// Queues a delivery again now, as a new attempt series (same delivery and `webhook-id`, attempt history kept).
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
}

/// What asking for a replay did.
public enum ReplayResult: Sendable, Equatable {
    case queued
    /// An attempt is under way; replaying it now would send it twice at once.
    case inFlight
    case notFound
}
