import ServiceLifecycle

/// What the shared store needs from a driver: run statements, alone or in a transaction.
///
/// A backend is a `Service` so that its connections live exactly as long as the process's `ServiceGroup`.
protocol SQLDatabase: Service {
    var dialect: SQLDialect { get }

    /// Runs one statement outside any transaction (reads).
    func query(_ statement: SQLStatement) async throws -> [SQLRow]

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<Result: Sendable>(_ body: @Sendable (any SQLTransaction) async throws -> Result) async throws -> Result

    /// Tells other processes on the same database that `channel` has news (PostgreSQL `NOTIFY`).
    func notify(_ channel: String) async throws

    /// Calls `onNotification` for each notice on `channel` until cancelled; false at once when the backend has no
    /// notifications (SQLite: one process, which wakes itself).
    func listen(_ channel: String, onNotification: @escaping @Sendable () -> Void) async throws -> Bool
}

/// Statements inside a transaction.
protocol SQLTransaction: Sendable {
    func query(_ statement: SQLStatement) async throws -> [SQLRow]
}
