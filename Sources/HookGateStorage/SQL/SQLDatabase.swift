import Foundation
import HookGateCore
import ServiceLifecycle

/// What the shared store needs from a driver: run statements, alone or in a transaction.
///
/// A backend is a `Service` so that its connections live exactly as long as the process's `ServiceGroup`.
protocol SQLDatabase: Service {
    var dialect: SQLDialect { get }

    /// Runs one statement outside any transaction (reads).
    func query(_ query: SQLQuery) async throws -> [SQLRow]

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    /// - Parameter durable: false for bookkeeping that may be lost in a power failure without harm (delivery leases
    ///   and outcomes: at worst a delivery is sent again, which at-least-once allows). The commit then does not wait
    ///   for the disk; the next durable commit flushes it. Ingest is always durable.
    func transaction<Result: Sendable>(durable: Bool, _ body: @Sendable (any SQLTransaction) async throws -> Result) async throws -> Result

    /// Runs the schema migrations' transaction. On PostgreSQL several instances may start at once: the first
    /// migrates, the others wait and find nothing to do.
    func migrationTransaction<Result: Sendable>(_ body: @Sendable (any SQLTransaction) async throws -> Result) async throws -> Result

    /// Runs one writing statement, atomic on its own; `durable` as for ``transaction(durable:_:)``.
    func write(_ query: SQLQuery, durable: Bool) async throws -> [SQLRow]

    /// Adds a batch's receipts, and the events and deliveries of those receipts that are new, atomically and durably.
    /// Returns the ids of the receipts stored; the others were duplicates of receipts already there. When deliveries
    /// were added, the workers of other processes on the same database hear of it at that commit.
    func writeOutbox(_ rows: OutboxRows) async throws -> Set<String>

    /// Records a batch of attempts and moves on each delivery that `owner` still leases, in one transaction that need
    /// not be durable; returns the ids of the deliveries moved on.
    func recordOutcomes(_ completions: [DeliveryCompletion], owner: String, now: Date) async throws -> Set<String>

    /// Tells other processes on the same database that `channel` has news (PostgreSQL `NOTIFY`).
    func notify(_ channel: String) async throws

    /// Calls `onNotification` once when listening starts (notices sent before it were missed) and then for each
    /// notice on `channel`, until cancelled; false at once when the backend has no notifications (SQLite: one
    /// process, which wakes itself).
    func listen(_ channel: String, onNotification: @escaping @Sendable () -> Void) async throws -> Bool
}

/// What processes sharing one database tell each other (PostgreSQL `LISTEN`/`NOTIFY`).
enum NotificationChannel {
    /// New deliveries were committed: delivery workers look for due work.
    static let newDeliveries = "hookgate_new_deliveries"
}

/// Statements inside a transaction.
protocol SQLTransaction: Sendable {
    func query(_ query: SQLQuery) async throws -> [SQLRow]
}

extension SQLDatabase {
    /// A durable transaction.
    func transaction<Result: Sendable>(_ body: @Sendable (any SQLTransaction) async throws -> Result) async throws -> Result {
        try await transaction(durable: true, body)
    }

    /// A plain durable transaction: one process owns a SQLite file, so nobody else migrates it.
    func migrationTransaction<Result: Sendable>(_ body: @Sendable (any SQLTransaction) async throws -> Result) async throws -> Result {
        try await transaction(body)
    }

    /// The statement in a transaction of its own: what PostgreSQL needs to relax one commit's durability.
    func write(_ query: SQLQuery, durable: Bool) async throws -> [SQLRow] {
        try await transaction(durable: durable) { try await $0.query(query) }
    }
}

extension SQLTransaction {
    /// Multi-row INSERTs, chunked below both databases' limits on bound parameters.
    func insert(_ rows: [[SQLValue]], into table: String) async throws {
        for chunk in rows.chunked(by: 500) {
            _ = try await query("INSERT INTO \(sql: table) VALUES \(rows: chunk)")
        }
    }
}
