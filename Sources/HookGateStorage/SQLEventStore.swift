import Foundation
import HookGateCore
import Logging
import ServiceLifecycle

/// The one ``EventStore`` implementation, over either SQL backend: the SQL is shared, only placeholders and the
/// storage of times differ by dialect.
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
        return try await database.transaction { transaction in
            if dialect == .postgres {
                // Several instances may start at once; the first migrates, the others wait and find nothing to do.
                _ = try await transaction.query(SQLStatement(.postgres, "SELECT pg_advisory_xact_lock(727274)"))
            }
            let timeType = dialect == .postgres ? "timestamptz" : "INTEGER"
            _ = try await transaction.query(
                SQLStatement(dialect, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at \(timeType) NOT NULL)")
            )
            let applied = try await transaction.query(SQLStatement(dialect, "SELECT version FROM schema_migrations"))
            let pending = try Migration.pending(applied: Set(try applied.map { Int(try $0.int(0)) }))
            for migration in pending {
                for sql in dialect == .postgres ? migration.postgres : migration.sqlite {
                    _ = try await transaction.query(SQLStatement(dialect, sql))
                }
                var record = SQLStatement(dialect, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ")
                record.bindRow([.int(Int64(migration.version)), .text(migration.name), .date(Date())])
                _ = try await transaction.query(record)
                logger.info("applied migration", metadata: ["hookgate.migration": "\(migration.version) \(migration.name)"])
            }
            return pending.map(\.version)
        }
    }

    func ingest(_ records: [IngestRecord]) async throws -> [IngestOutcome] {
        guard !records.isEmpty else { return [] }
        let stored = try await database.writeOutbox(OutboxRows(records))
        var outcomes: [IngestOutcome] = []
        outcomes.reserveCapacity(records.count)
        for record in records {
            if stored.contains(record.receiptID) {
                outcomes.append(.stored(eventIDs: record.events.map(\.id)))
            } else {
                // The conflicting receipt is committed (the insert waited for it), so a plain read finds it.
                var lookup = SQLStatement(database.dialect, "SELECT e.id FROM receipts r JOIN events e ON e.receipt_id = r.id WHERE r.source = ")
                lookup.bind(record.sourceID)
                lookup.append(" AND r.dedupe_key = ")
                lookup.bind(record.dedupeKey)
                lookup.append(" ORDER BY e.seq")
                outcomes.append(.duplicate(eventIDs: try await database.query(lookup).map { try $0.text(0) }))
            }
        }
        return outcomes
    }
}
