import HookGateCore
import Logging
import ServiceLifecycle

/// The storage seam. SQLite and PostgreSQL implement it and pass one shared conformance suite.
///
/// A store is a `Service`: its `run()` owns the connections' lifetime inside the process's `ServiceGroup`.
public protocol EventStore: Service, DeliveryStore {
    /// Applies the migrations this build knows and the database has not seen; returns the versions applied.
    func migrate(logger: Logger) async throws -> [Int]

    /// Seals with the current `storage.encryption_key` every subscription secret not yet sealed with it (stored
    /// before there was a key, or under a previous key); returns how many rows changed. Throws, naming the
    /// subscription, when a sealed secret opens with none of the configured keys.
    func sealSubscriptionSecrets() async throws -> Int

    /// Writes every record in one transaction. Records in one call have distinct (source, dedupe key).
    /// A record whose key already exists writes nothing and reports the original event ids.
    func ingest(_ records: [IngestRecord]) async throws -> [IngestOutcome]

    func events(_ query: EventQuery) async throws -> Page<StoredEvent>
    func event(id: String) async throws -> StoredEvent?
    func deliveries(eventID: String) async throws -> [DeliverySummary]
    /// One delivery and every attempt, oldest first, read in one statement: the status and the attempts agree even
    /// while an outcome is being recorded.
    func delivery(id: String) async throws -> (summary: DeliverySummary, attempts: [DeliveryAttempt])?
    func deliveries(_ query: DeliveryQuery) async throws -> Page<DeliverySummary>
    func receipt(eventID: String) async throws -> StoredReceipt?
    /// One receipt by its own id, with its body (an unparsed receipt has no event to find it by).
    func receipt(id: String) async throws -> StoredReceipt?
    func receipts(_ query: ReceiptQuery) async throws -> Page<StoredReceipt>

    /// Rewrites one receipt's normalization after an upgrade, in one transaction: its status; the first `existing`
    /// of `events` replace the stored events with the same ids (sequence by sequence), and the rest are new events
    /// with their pending deliveries.
    func renormalize(receiptID: String, status: Normalization.Status, events: [IngestRecord.Event], existing: Int) async throws

    /// Throws when the database cannot be reached (readiness).
    func ping() async throws
}
