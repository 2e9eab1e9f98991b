import HookGateCore
import Logging
import ServiceLifecycle

/// The whole store: every consumer's seam (HookGateCore's ``IngestStore``, ``DeliveryQueue``, ``EventQueries``,
/// ``SubscriptionStore``, ``AuditLog``, ``ReplayStore``, ``RetentionStore``, ``ErasureStore``) plus what only the process and its operators do with it.
/// SQLite and PostgreSQL implement it and pass one shared conformance suite.
///
/// A store is a `Service`: its `run()` owns the connections' lifetime inside the process's `ServiceGroup`.
public protocol EventStore: Service, IngestStore, DeliveryQueue, EventQueries, SubscriptionStore, AuditLog, ReplayStore, RetentionStore, ErasureStore
{
    /// Applies the migrations this build knows and the database has not seen; returns the versions applied.
    func migrate(logger: Logger) async throws -> [Int]

    /// Seals with the current `storage.encryption_key` every subscription secret not yet sealed with it (stored
    /// before there was a key, or under a previous key); returns how many rows changed. Throws, naming the
    /// subscription, when a sealed secret opens with none of the configured keys.
    func sealSubscriptionSecrets() async throws -> Int

    /// Rewrites one receipt's normalization after an upgrade, in one transaction: its status; the first `existing`
    /// of `events` replace the stored events with the same ids (sequence by sequence), and the rest are new events
    /// with their pending deliveries.
    func renormalize(receiptID: String, status: Normalization.Status, events: [IngestRecord.Event], existing: Int) async throws

    /// Throws when the database cannot be reached (readiness).
    func ping() async throws
}
