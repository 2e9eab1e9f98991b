/// What ingest needs of storage: the outbox write of verified requests (DESIGN.md §5).
public protocol IngestStore: Sendable {
    /// Writes every record in one transaction. Records in one call have distinct (source, dedupe key).
    /// A record whose key already exists writes nothing and reports the original event ids.
    func ingest(_ records: [IngestRecord]) async throws -> [IngestOutcome]

    /// Tells the workers of every instance that new deliveries were committed (PostgreSQL `NOTIFY`; nothing on
    /// SQLite, where the one process wakes itself).
    func announceNewDeliveries() async throws
}
