import Foundation
import HookGateCore
import Logging
import ServiceLifecycle

/// The one ``EventStore`` implementation, over either SQL backend: the SQL is shared; placeholders, the storage of
/// times and the statements a backend does its own way (``SQLDatabase``) differ.
final class SQLEventStore<Database: SQLDatabase>: EventStore, CustomStringConvertible {
    let database: Database
    let sealer: SecretSealer

    init(database: Database, sealer: SecretSealer) {
        self.database = database
        self.sealer = sealer
    }

    var description: String { "EventStore(\(database.dialect))" }

    func run() async throws {
        try await database.run()
    }

    func migrate(logger: Logger) async throws -> [Int] {
        let dialect = database.dialect
        return try await database.migrationTransaction { transaction in
            _ = try await transaction.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at \(sql: dialect.timeColumnType) NOT NULL)"
            )
            let applied = try await transaction.query("SELECT version FROM schema_migrations").map { try $0.int("version") }
            let pending = try Migration.pending(applied: Set(applied))
            for migration in pending {
                for sql in migration.statements(for: dialect) {
                    _ = try await transaction.query("\(sql: sql)")
                }
                _ = try await transaction.query(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(migration.version), \(migration.name), \(Date()))"
                )
                logger.info("applied migration", metadata: ["hookgate.migration": "\(migration.version) \(migration.name)"])
            }
            return pending.map(\.version)
        }
    }

    func ingest(_ records: [IngestRecord]) async throws -> [IngestOutcome] {
        guard !records.isEmpty else { return [] }
        let stored = try await database.writeOutbox(OutboxRows(records))
        let duplicates = try await storedEventIDs(of: records.filter { !stored.contains($0.receiptID) }.map(\.storedIdentity))
        return records.map { record in
            stored.contains(record.receiptID)
                ? .stored(eventIDs: record.events.map(\.id)) : .duplicate(eventIDs: duplicates[record.storedIdentity] ?? [])
        }
    }

    /// The events already stored for receipts that were duplicates, in one read per 500 of them however many a
    /// provider's retry storm brings: the conflicting receipts are committed (the insert waited for them), so a plain
    /// read finds them.
    private func storedEventIDs(of identities: [IngestRecord.Identity]) async throws -> [IngestRecord.Identity: [String]] {
        var eventIDs: [IngestRecord.Identity: [String]] = [:]
        for chunk in identities.chunked(by: 500) {
            let rows = try await database.query(
                """
                SELECT r.source, r.dedupe_key, e.id FROM receipts r JOIN events e ON e.receipt_id = r.id
                WHERE (r.source, r.dedupe_key) IN (VALUES \(rows: chunk.map { [.text($0.source), .text($0.dedupeKey)] }))
                ORDER BY e.receipt_id, e.seq
                """
            )
            for row in rows {
                eventIDs[IngestRecord.Identity(source: try row.text("source"), dedupeKey: try row.text("dedupe_key")), default: []].append(
                    try row.text("id"))
            }
        }
        return eventIDs
    }
}
