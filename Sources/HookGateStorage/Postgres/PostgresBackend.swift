import Foundation
import HookGateCore
import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import ServiceLifecycle

/// The production backend: a `PostgresClient` pool, shareable by several HookGate instances.
final class PostgresBackend: SQLDatabase, CustomStringConvertible {
    private let client: PostgresClient
    private let logger: Logger

    var dialect: SQLDialect { .postgres }
    var description: String { "PostgresBackend" }

    init(location: StorageLocation.Postgres, logger: Logger) throws {
        let tls: PostgresClient.Configuration.TLS
        switch location.tlsMode {
        case "require": tls = .require(.makeClientConfiguration())
        case "prefer": tls = .prefer(.makeClientConfiguration())
        default: tls = .disable
        }
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.username, password: location.password,
            database: location.database, tls: tls
        )
        // Fail fast while the database is down, so providers get a prompt 503 and retry.
        configuration.options.connectTimeout = .seconds(3)
        configuration.options.maximumConnections = 16
        // Whenever a connection goes back to the pool idle, the pool starts a keep-alive timer (30 s) and an
        // idle-timeout timer, each a task that keeps its memory until its deadline even when the connection is leased
        // again a millisecond later. At a steady 1,000 commits a second the defaults held about 55 MiB of them
        // (docs/benchmarks.md). No keep-alive pings, and idle connections close after 10 s: the timers then hold at
        // most 10 s worth. A connection is never idle long enough for a ping to matter; one that died is noticed
        // when TCP closes it or a query on it fails (503, and the provider retries). Standing connections
        // (`minimumConnections`) would need no timers at all, but this pool version stops the process on a
        // precondition when it has fewer connections than that minimum and a request comes (as during an outage).
        configuration.options.keepAliveBehavior = nil
        configuration.options.connectionIdleTimeout = .seconds(10)
        // Ingest answers 2xx only after the commit is on disk: that is set on every connection, not left to a
        // server default someone may have relaxed. Bookkeeping transactions relax it for themselves (`durable`).
        configuration.options.additionalStartupParameters = [("synchronous_commit", "on")]
        if location.sendsInTheClear {
            logger.warning(
                "storage.url reaches PostgreSQL over the network without sslmode=require: credentials and webhook contents travel in the clear",
                metadata: ["hookgate.host": "\(location.host)", "hookgate.sslmode": "\(location.tlsMode)"]
            )
        }
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.logger = logger
    }

    func run() async throws {
        await client.run()
    }

    func query(_ query: SQLQuery) async throws -> [SQLRow] {
        try await Self.collect(client.query(Self.postgresQuery(query), logger: logger))
    }

    func transaction<Result: Sendable>(durable: Bool, _ body: @Sendable (any SQLTransaction) async throws -> Result) async throws -> Result {
        try await client.withConnection { connection in
            _ = try await connection.query("BEGIN", logger: logger)
            // Only this transaction's commit skips waiting for the WAL flush; a crash can lose it, never corrupt.
            if !durable { _ = try await connection.query("SET LOCAL synchronous_commit = off", logger: logger) }
            do {
                let result = try await body(Transaction(connection: connection, logger: logger))
                _ = try await connection.query("COMMIT", logger: logger)
                return result
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// Holds an advisory lock for the transaction: of several instances starting at once, one migrates at a time.
    func migrationTransaction<Result: Sendable>(_ body: @Sendable (any SQLTransaction) async throws -> Result) async throws -> Result {
        try await transaction { transaction in
            _ = try await transaction.query("SELECT pg_advisory_xact_lock(727274)")
            return try await body(transaction)
        }
    }

    /// The portable statements: PostgreSQL has no per-connection triggers to spare them.
    func recordOutcomes(_ completions: [DeliveryCompletion], owner: String, now: Date) async throws -> Set<String> {
        try await recordOutcomesInSteps(completions, owner: owner, now: now)
    }

    /// One statement is its own transaction: one round trip per batch, of any size.
    func writeOutbox(_ rows: OutboxRows) async throws -> Set<String> {
        var stored = Set<String>()
        for try await id in try await client.execute(PostgresOutboxStatement(rows: rows), logger: logger) { stored.insert(id) }
        return stored
    }

    func notify(_ channel: String) async throws {
        _ = try await query("SELECT pg_notify(\(channel), '')")
    }

    func listen(_ channel: String, onNotification: @escaping @Sendable () -> Void) async throws -> Bool {
        try await client.withConnection { connection in
            try await connection.listen(on: channel) { notifications in
                // A notice sent before LISTEN took effect (at start, or while reconnecting) reached nobody: count the
                // start as one, so whatever was announced meanwhile is looked for now rather than at the next poll.
                onNotification()
                for try await _ in notifications { onNotification() }
            }
        }
        return true
    }

    private struct Transaction: SQLTransaction {
        let connection: PostgresConnection
        let logger: Logger
        func query(_ query: SQLQuery) async throws -> [SQLRow] {
            try await PostgresBackend.collect(connection.query(PostgresBackend.postgresQuery(query), logger: logger))
        }
    }

    fileprivate static func postgresQuery(_ query: SQLQuery) -> PostgresQuery {
        let (sql, binds) = query.rendered(for: .postgres)
        var bindings = PostgresBindings(capacity: binds.count)
        for value in binds {
            switch value {
            case .text(let text): bindings.append(text.withoutNUL)
            case .int(let int): bindings.append(int)
            // PostgresNIO traps on a date past Int64 microseconds from 2000: saturated first.
            case .date(let date): bindings.append(Timestamp.saturated(date))
            case .blob(let buffer): bindings.append(buffer)
            case .null: bindings.appendNull()
            }
        }
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
    }

    fileprivate static func collect(_ rows: PostgresRowSequence) async throws -> [SQLRow] {
        var result: [SQLRow] = []
        var columns: SQLColumns?
        for try await row in rows {
            let names = columns ?? SQLColumns(row.map(\.columnName))
            columns = names
            result.append(
                SQLRow(
                    columns: names,
                    values: try row.map { cell -> SQLValue in
                        guard cell.bytes != nil else { return .null }
                        switch cell.dataType {
                        case .bytea: return .blob(try cell.decode(ByteBuffer.self))
                        case .int2, .int4, .int8: return .int(try cell.decode(Int64.self))
                        case .timestamptz, .timestamp: return .date(try cell.decode(Date.self))
                        default: return .text(try cell.decode(String.self))
                        }
                    }))
        }
        return result
    }
}
