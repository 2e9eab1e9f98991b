import Foundation
import HookGateCore
import Logging
import NIOCore
import NIOPosix
import SQLiteNIO
import ServiceLifecycle
import Synchronization

/// The embedded backend: two writer connections (transactions serialized by one lock), one reader, and one that
/// checkpoints, in WAL mode so reads never wait for a commit.
///
/// The writers differ only in durability: `synchronous = FULL` for ingest, `NORMAL` for delivery bookkeeping. Both
/// append to the one WAL file, so a FULL commit's sync also makes every NORMAL commit before it durable. Two
/// connections, rather than one switched back and forth, spare a statement at every change between the two kinds.
///
/// SQLite's automatic checkpoint runs inside whichever commit takes the WAL past 1,000 pages, copying it into the
/// database file and syncing it while that batch's requests wait. A background connection checkpoints passively
/// (never blocking the writer) several times a second, so the automatic one finds little left to copy. The automatic
/// one stays on: it is what lets the WAL restart from its beginning, keeping the file bounded.
///
/// SQLite calls block their thread, so the connections run on a thread pool of their own with a thread for each: a
/// long read (the backlog report over a million deliveries) then never holds up a commit by taking the last free
/// thread of a pool the size of the machine's cores.
final class SQLiteBackend: SQLDatabase, CustomStringConvertible {
    private let writer: SQLiteConnection
    private let relaxedWriter: SQLiteConnection
    private let reader: SQLiteConnection
    private let checkpointer: SQLiteConnection
    private let threads: NIOThreadPool
    private let writeLock = AsyncLock()
    private static let checkpointInterval = Duration.milliseconds(200)

    var dialect: SQLDialect { .sqlite }
    var description: String { "SQLiteBackend" }

    private init(
        writer: SQLiteConnection, relaxedWriter: SQLiteConnection, reader: SQLiteConnection, checkpointer: SQLiteConnection, threads: NIOThreadPool
    ) {
        self.threads = threads
        self.writer = writer
        self.relaxedWriter = relaxedWriter
        self.reader = reader
        self.checkpointer = checkpointer
    }

    /// Opens (creating if needed) the database file and its parent directory.
    static func open(path: String, logger: Logger) async throws -> SQLiteBackend {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let threads = NIOThreadPool(numberOfThreads: 4)
        threads.start()
        func connect(_ setup: [String]) async throws -> SQLiteConnection {
            let connection = try await SQLiteConnection.open(
                storage: .file(path: path), threadPool: threads, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any()
            )
            for sql in ["PRAGMA busy_timeout = 5000"] + setup { _ = try await connection.query(sql, []) }
            return connection
        }
        do {
            // FULL: a commit is on disk before anyone is told it happened, even across power loss.
            let writer = try await connect(["PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON"] + outboxSQL)
            let relaxedWriter = try await connect(["PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON"] + outcomeSQL)
            let reader = try await connect([])
            let checkpointer = try await connect([])
            return SQLiteBackend(writer: writer, relaxedWriter: relaxedWriter, reader: reader, checkpointer: checkpointer, threads: threads)
        } catch {
            try? await threads.shutdownGracefully()
            throw error
        }
    }

    /// A view that takes a batch's rows in one INSERT, and a trigger for each kind of row that puts it in its table:
    /// a receipt (kind 0) unless it is a duplicate, an event (1) only if its receipt went in, a delivery (2) only if
    /// its event did. The receipts stored are noted in `outbox_stored`, which the batch's first row (kind -1) empties,
    /// so the INSERT can return them.
    ///
    /// One trigger per kind, chosen by its `WHEN`, so a row runs only its own statements: with one trigger for all,
    /// every row opened cursors on all three tables and their indexes, and SQLite's thread spent 10–15 % more per
    /// record (docs/benchmarks.md).
    ///
    /// Temporary, so not part of the schema, and on the durable writer, the connection that runs the migrations:
    /// SQLite compiles a trigger in a nested parse that does not re-read a schema changed by another connection, so
    /// elsewhere it would not find tables created after the connection opened.
    private static let outboxSQL = [
        "CREATE TEMP TABLE outbox_stored (id TEXT PRIMARY KEY)",
        "CREATE TEMP VIEW outbox_rows (kind, c1, c2, c3, c4, c5, c6, c7, c8) AS SELECT 0, 0, 0, 0, 0, 0, 0, 0, 0 WHERE 0",
        """
        CREATE TEMP TRIGGER outbox_batch INSTEAD OF INSERT ON outbox_rows WHEN NEW.kind = -1 BEGIN
          DELETE FROM outbox_stored;
        END
        """,
        """
        CREATE TEMP TRIGGER outbox_receipt INSTEAD OF INSERT ON outbox_rows WHEN NEW.kind = 0 BEGIN
          INSERT INTO receipts (id, source, dedupe_key, status, received_at, headers, body)
            VALUES (NEW.c1, NEW.c2, NEW.c3, NEW.c4, NEW.c5, NEW.c6, NEW.c7)
            ON CONFLICT DO NOTHING;
          INSERT INTO outbox_stored SELECT NEW.c1 WHERE changes() = 1;
        END
        """,
        """
        CREATE TEMP TRIGGER outbox_event INSTEAD OF INSERT ON outbox_rows
          WHEN NEW.kind = 1 AND EXISTS (SELECT 1 FROM outbox_stored WHERE id = NEW.c2) BEGIN
          INSERT INTO events (id, receipt_id, seq, source, type, subject, time, payload)
            VALUES (NEW.c1, NEW.c2, NEW.c3, NEW.c4, NEW.c5, NEW.c6, NEW.c7, NEW.c8);
        END
        """,
        """
        CREATE TEMP TRIGGER outbox_delivery INSTEAD OF INSERT ON outbox_rows
          WHEN NEW.kind = 2 AND EXISTS (SELECT 1 FROM events WHERE id = NEW.c2) BEGIN
          INSERT INTO deliveries (id, event_id, destination, status, next_attempt_at, created_at, updated_at)
            VALUES (NEW.c1, NEW.c2, NEW.c3, NEW.c4, NEW.c5, NEW.c6, NEW.c7);
        END
        """,
    ]

    /// The same for a batch of delivery outcomes, on the relaxed writer: each row records its attempt and moves its
    /// delivery on if this instance still holds the lease; the deliveries moved are noted in `outcome_kept`, which
    /// the batch's first row (all NULL) empties, so the INSERT can return them.
    private static let outcomeSQL = [
        "CREATE TEMP TABLE outcome_kept (id TEXT PRIMARY KEY)",
        """
        CREATE TEMP VIEW outcome_rows (delivery_id, number, started_at, duration_ms, status_code, error, response_snippet,
          status, next_attempt_at, owner, now) AS SELECT 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 WHERE 0
        """,
        """
        CREATE TEMP TRIGGER outcome_rows_insert INSTEAD OF INSERT ON outcome_rows BEGIN
          DELETE FROM outcome_kept WHERE NEW.delivery_id IS NULL;
          INSERT INTO delivery_attempts (delivery_id, number, started_at, duration_ms, status_code, error, response_snippet)
            SELECT NEW.delivery_id, NEW.number, NEW.started_at, NEW.duration_ms, NEW.status_code, NEW.error, NEW.response_snippet
            WHERE NEW.delivery_id IS NOT NULL
            ON CONFLICT DO NOTHING;
          \(DestinationHealth.recordInTrigger);
          UPDATE deliveries SET status = NEW.status, attempts = NEW.number, next_attempt_at = NEW.next_attempt_at,
            last_status = NEW.status_code, lease_owner = NULL, lease_expires_at = NULL, updated_at = NEW.now
            WHERE id = NEW.delivery_id AND status = 'in_flight' AND lease_owner = NEW.owner;
          INSERT INTO outcome_kept SELECT NEW.delivery_id WHERE NEW.delivery_id IS NOT NULL AND changes() = 1;
        END
        """,
    ]

    func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: Self.checkpointInterval)
                    _ = try? await self.checkpointer.query("PRAGMA wal_checkpoint(PASSIVE)", [])
                }
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
        try await close()
    }

    /// Closes every connection. Uses the future-based close, which still runs when the task is cancelled
    /// (the async one refuses to, leaving the file handle open).
    func close() async throws {
        try await writeLock.withLock {
            try await checkpointer.close().get()
            try await reader.close().get()
            try await relaxedWriter.close().get()
            try await writer.close().get()
        }
        try await threads.shutdownGracefully()
    }

    func query(_ query: SQLQuery) async throws -> [SQLRow] {
        try await Self.execute(query, on: reader)
    }

    /// One process owns the file, and it wakes its own workers; nobody else to tell.
    func notify(_ channel: String) async throws {}

    func listen(_ channel: String, onNotification: @escaping @Sendable () -> Void) async throws -> Bool { false }

    func transaction<Result: Sendable>(durable: Bool, _ body: @Sendable (any SQLTransaction) async throws -> Result) async throws -> Result {
        let connection = durable ? writer : relaxedWriter
        return try await writeLock.withLock {
            _ = try await connection.query("BEGIN IMMEDIATE", [])
            do {
                let result = try await body(Transaction(connection: connection))
                _ = try await connection.query("COMMIT", [])
                return result
            } catch {
                _ = try? await connection.query("ROLLBACK", [])
                throw error
            }
        }
    }

    /// SQLite commits a statement outside a transaction on its own: one call to its thread instead of three.
    func write(_ query: SQLQuery, durable: Bool) async throws -> [SQLRow] {
        let connection = durable ? writer : relaxedWriter
        return try await writeLock.withLock { try await Self.execute(query, on: connection) }
    }

    /// A batch that fits SQLite's limit on bound parameters goes in as one INSERT into the `outbox_rows` view, whose
    /// triggers put each row in its table: one call to SQLite's thread instead of five. Larger ones take the
    /// portable path.
    func writeOutbox(_ rows: OutboxRows) async throws -> Set<String> {
        let rowCount = 1 + rows.receipts.count + rows.events.count + rows.deliveries.count
        guard rowCount * 9 <= 30_000 else { return try await writeOutboxInSteps(rows) }
        // Each row is its kind and eight columns.
        var values: [[SQLValue]] = [[.int(-1)] + Array(repeating: .null, count: 8)]
        values.reserveCapacity(rowCount)
        values += rows.receipts.map { [.int(0)] + OutboxRows.receiptValues($0) + [.null] }
        values += rows.events.map { [.int(1)] + $0.values }
        values += rows.deliveries.map { [.int(2)] + $0.values + [.null] }
        // Each receipt's id if the trigger stored it, NULL for the rest.
        let stored = try await write(
            "INSERT INTO outbox_rows VALUES \(rows: values) RETURNING CASE WHEN kind = 0 AND EXISTS (SELECT 1 FROM outbox_stored WHERE id = c1) THEN c1 END AS id",
            durable: true
        )
        return Set(try stored.compactMap { try $0.optionalText("id") })
    }

    /// A batch of outcomes that fits SQLite's limit on bound parameters goes in as one INSERT into the `outcome_rows`
    /// view, whose trigger records each attempt and moves its delivery on; larger ones take the portable path.
    func recordOutcomes(_ completions: [DeliveryCompletion], owner: String, now: Date) async throws -> Set<String> {
        guard (completions.count + 1) * 11 <= 30_000 else { return try await recordOutcomesInSteps(completions, owner: owner, now: now) }
        // The first row (all NULL) empties `outcome_kept`.
        var values: [[SQLValue]] = [Array(repeating: .null, count: 11)]
        values.reserveCapacity(completions.count + 1)
        for completion in completions {
            let (status, next) = completion.decision.stored(now: now)
            values.append(
                [.text(completion.deliveryID)] + completion.attempt.values + [.text(status.rawValue), .date(next), .text(owner), .date(now)])
        }
        let kept = try await write(
            """
            INSERT INTO outcome_rows VALUES \(rows: values)
            RETURNING CASE WHEN EXISTS (SELECT 1 FROM outcome_kept WHERE id = delivery_id) THEN delivery_id END AS id
            """,
            durable: false
        )
        return Set(try kept.compactMap { try $0.optionalText("id") })
    }

    private struct Transaction: SQLTransaction {
        let connection: SQLiteConnection
        func query(_ query: SQLQuery) async throws -> [SQLRow] {
            try await SQLiteBackend.execute(query, on: connection)
        }
    }

    fileprivate static func execute(_ query: SQLQuery, on connection: SQLiteConnection) async throws -> [SQLRow] {
        let (sql, values) = query.rendered(for: .sqlite)
        let binds = values.map { value -> SQLiteData in
            switch value {
            // Both backends store the same text: SQLite's C-string readers would cut a value at its NUL.
            case .text(let text): .text(text.withoutNUL)
            case .int(let int): .integer(SQLiteInt64(int))
            // Saturated, not trapped: a time past Int64 microseconds would otherwise end the process.
            case .date(let date): .integer(SQLiteInt64((Timestamp.saturated(date).timeIntervalSince1970 * 1_000_000).rounded()))
            case .blob(let buffer): .blob(buffer)
            case .null: .null
            }
        }
        // The closure form collects the rows on SQLite's thread and resumes the caller from there. The
        // array-returning form sends each row to an event loop as a task of its own, and resumes the caller from
        // that event loop once they have all run: an extra thread and allocations per row for nothing.
        let rows = RowBuffer()
        try await connection.query(sql, binds) { row in
            rows.append(row.columns)
        }
        return rows.all
    }
}

/// Rows handed over by SQLite's thread while a statement steps, read by the caller once it has finished. The column
/// names are taken from the first row and shared by the rest.
private final class RowBuffer: Sendable {
    private struct Rows {
        var columns: SQLColumns?
        var rows: [SQLRow] = []
    }

    private let state = Mutex(Rows())

    func append(_ cells: [SQLiteColumn]) {
        let values = cells.map { cell -> SQLValue in
            switch cell.data {
            case .integer(let int): .int(Int64(int))
            case .float(let double): .int(Int64(double))
            case .text(let text): .text(text)
            case .blob(let buffer): .blob(buffer)
            case .null: .null
            }
        }
        state.withLock { state in
            let columns = state.columns ?? SQLColumns(cells.map(\.name))
            state.columns = columns
            state.rows.append(SQLRow(columns: columns, values: values))
        }
    }

    var all: [SQLRow] { state.withLock { $0.rows } }
}
