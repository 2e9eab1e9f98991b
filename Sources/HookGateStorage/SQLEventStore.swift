import Foundation
import HookGateCore
import Logging
import ServiceLifecycle

/// The one ``EventStore`` implementation, over either SQL backend: the SQL is shared, only placeholders and the
/// storage of times differ by dialect.
final class SQLEventStore<Database: SQLDatabase>: EventStore, CustomStringConvertible {
    let database: Database

    init(database: Database) {
        self.database = database
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
        let dialect = database.dialect
        let (eventRows, deliveryRows) = Self.outboxRows(records)
        let inserted: Set<String>
        if dialect == .postgres && records.count <= 500 {
            // One statement is its own transaction: one round trip per batch instead of five.
            let statement = Self.outboxStatement(records, eventRows: eventRows, deliveryRows: deliveryRows)
            inserted = Set(try await database.query(statement).map { try $0.text(0) })
        } else if dialect == .sqlite && (1 + records.count + eventRows.count + deliveryRows.count) * 9 <= 30_000 {
            let statement = Self.sqliteOutboxStatement(records, eventRows: eventRows, deliveryRows: deliveryRows)
            inserted = Set(try await database.write(statement, durable: true).compactMap { try $0.optionalText(0) })
        } else {
            inserted = try await database.transaction { transaction in
                var inserted = Set<String>()
                for chunk in records.chunked(by: 500) {
                    var statement = SQLStatement(dialect, "INSERT INTO \(Self.receiptTable) VALUES ")
                    Self.bindRows(chunk.map(Self.receiptRow), to: &statement)
                    statement.append(" ON CONFLICT (source, dedupe_key) DO NOTHING RETURNING id")
                    for row in try await transaction.query(statement) { inserted.insert(try row.text(0)) }
                }
                let receiptOf = Dictionary(uniqueKeysWithValues: records.flatMap { record in record.events.map { ($0.id, record.receiptID) } })
                let storedEvents = eventRows.filter { row in if case .text(let receipt) = row[1] { inserted.contains(receipt) } else { false } }
                let storedDeliveries = deliveryRows.filter { row in
                    if case .text(let event) = row[1], let receipt = receiptOf[event] { inserted.contains(receipt) } else { false }
                }
                try await Self.insert(storedEvents, into: Self.eventTable, dialect: dialect, transaction: transaction)
                try await Self.insert(storedDeliveries, into: Self.deliveryTable, dialect: dialect, transaction: transaction)
                return inserted
            }
        }
        var outcomes: [IngestOutcome] = []
        outcomes.reserveCapacity(records.count)
        for record in records {
            if inserted.contains(record.receiptID) {
                outcomes.append(.stored(eventIDs: record.events.map(\.id)))
            } else {
                // The conflicting receipt is committed (the insert waited for it), so a plain read finds it.
                var lookup = SQLStatement(dialect, "SELECT e.id FROM receipts r JOIN events e ON e.receipt_id = r.id WHERE r.source = ")
                lookup.bind(record.sourceID)
                lookup.append(" AND r.dedupe_key = ")
                lookup.bind(record.dedupeKey)
                lookup.append(" ORDER BY e.seq")
                outcomes.append(.duplicate(eventIDs: try await database.query(lookup).map { try $0.text(0) }))
            }
        }
        return outcomes
    }

    private static var receiptTable: String { "receipts (id, source, dedupe_key, status, received_at, headers, body)" }
    static var eventTable: String { "events (id, receipt_id, seq, source, type, subject, time, payload)" }
    static var deliveryTable: String { "deliveries (id, event_id, destination, status, next_attempt_at, created_at, updated_at)" }

    private static func receiptRow(_ record: IngestRecord) -> [SQLValue] {
        [
            .text(record.receiptID), .text(record.sourceID), .text(record.dedupeKey), .text(record.status.rawValue),
            .date(record.receivedAt), .text(record.headers), .blob(record.body),
        ]
    }

    /// The events and pending deliveries of every record, as rows for `eventTable` and `deliveryTable`.
    private static func outboxRows(_ records: [IngestRecord]) -> (events: [[SQLValue]], deliveries: [[SQLValue]]) {
        let now = Date()
        var eventRows: [[SQLValue]] = []
        var deliveryRows: [[SQLValue]] = []
        for record in records {
            for (sequence, event) in record.events.enumerated() {
                eventRows.append([
                    .text(event.id), .text(record.receiptID), .int(Int64(sequence)), .text(record.sourceID), .text(event.type),
                    event.subject.map { .text(Self.storableText($0)) } ?? .null, .date(event.time), .blob(event.payload),
                ])
                for destination in event.destinations {
                    deliveryRows.append([
                        .text(Identifier.make(prefix: "dlv_", now: now)), .text(event.id), .text(destination), .text("pending"),
                        .date(record.receivedAt), .date(now), .date(now),
                    ])
                }
            }
        }
        return (eventRows, deliveryRows)
    }

    /// PostgreSQL only: receipts, their events and their deliveries in one statement with data-modifying CTEs.
    /// Events are inserted only for receipts that were new, deliveries only for those events; the statement
    /// returns the new receipts' ids.
    private static func outboxStatement(_ records: [IngestRecord], eventRows: [[SQLValue]], deliveryRows: [[SQLValue]]) -> SQLStatement {
        var statement = SQLStatement(.postgres, "WITH r AS (INSERT INTO \(receiptTable) VALUES ")
        bindRows(records.map(receiptRow), to: &statement)
        statement.append(" ON CONFLICT (source, dedupe_key) DO NOTHING RETURNING id)")
        if !eventRows.isEmpty {
            statement.append(", e AS (INSERT INTO \(eventTable) SELECT * FROM (VALUES ")
            bindRows(eventRows, to: &statement)
            statement.append(") AS v (id, receipt_id, seq, source, type, subject, time, payload) WHERE v.receipt_id IN (SELECT id FROM r) RETURNING id)")
            if !deliveryRows.isEmpty {
                statement.append(", d AS (INSERT INTO \(deliveryTable) SELECT * FROM (VALUES ")
                bindRows(deliveryRows, to: &statement)
                statement.append(") AS v (id, event_id, destination, status, next_attempt_at, created_at, updated_at) WHERE v.event_id IN (SELECT id FROM e))")
            }
        }
        statement.append(" SELECT id FROM r")
        return statement
    }

    /// SQLite only: receipts, events and deliveries in one INSERT into the `outbox_rows` view, whose trigger
    /// (``SQLiteBackend``) puts each row in its table: one call to SQLite's thread per batch instead of five.
    private static func sqliteOutboxStatement(_ records: [IngestRecord], eventRows: [[SQLValue]], deliveryRows: [[SQLValue]]) -> SQLStatement {
        var statement = SQLStatement(.sqlite, "INSERT INTO outbox_rows VALUES ")
        let start: [SQLValue] = [.int(-1)] + Array(repeating: .null, count: 8)
        let rows = [start] + records.map { [.int(0)] + receiptRow($0) + [.null] } + eventRows.map { [.int(1)] + $0 } + deliveryRows.map { [.int(2)] + $0 + [.null] }
        bindRows(rows, to: &statement)
        // Each receipt's id if the trigger stored it, NULL for the rest.
        statement.append(" RETURNING CASE WHEN kind = 0 AND EXISTS (SELECT 1 FROM outbox_stored WHERE id = c1) THEN c1 END")
        return statement
    }

    /// Text from request content, made storable: PostgreSQL's `text` refuses NUL, and a verified request must never
    /// be refused for its content. The event's own JSON keeps the original value.
    static func storableText(_ text: String) -> String {
        text.utf8.contains(0) ? String(text.unicodeScalars.filter { $0 != "\u{0}" }.map(Character.init)) : text
    }

    private static func bindRows(_ rows: [[SQLValue]], to statement: inout SQLStatement) {
        for (index, row) in rows.enumerated() {
            if index > 0 { statement.append(", ") }
            statement.bindRow(row)
        }
    }

    /// Multi-row INSERTs, chunked below both databases' limits on bound parameters.
    static func insert(_ rows: [[SQLValue]], into table: String, dialect: SQLDialect, transaction: any SQLTransaction) async throws {
        for chunk in rows.chunked(by: 500) {
            var statement = SQLStatement(dialect, "INSERT INTO \(table) VALUES ")
            bindRows(Array(chunk), to: &statement)
            _ = try await transaction.query(statement)
        }
    }
}

extension Array {
    func chunked(by size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
