import Foundation
import HookGateCore
import HookGateTesting
import Logging
import Testing

@testable import HookGateStorage

/// What HookGate's PostgreSQL connections set for themselves rather than trusting the server's defaults.
@Suite("PostgreSQL sessions")
struct PostgresSessionTests {
    @Test(
        "commits wait for the disk even where the database's default says not to; bookkeeping relaxes only itself",
        .enabled(if: TestBackend.postgresURL != nil))
    func synchronousCommit() async throws {
        let url = try TestBackend.postgres.makeStorageURL()
        let name = try #require(URLComponents(string: url)).path.dropFirst()
        try TestBackend.psql(url, "ALTER DATABASE \(name) SET synchronous_commit = off")
        guard case .postgres(let location) = try StorageLocation(parsing: url) else { throw TestSetupError("not a PostgreSQL URL") }
        let backend = try PostgresBackend(location: location, logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await backend.run() }
            defer { group.cancelAll() }
            let show: SQLQuery = "SHOW synchronous_commit"
            let durable = try await backend.transaction(durable: true) { try await $0.query(show) }
            #expect(try durable.first?.text("synchronous_commit") == "on")
            let relaxed = try await backend.transaction(durable: false) { try await $0.query(show) }
            #expect(try relaxed.first?.text("synchronous_commit") == "off")
            #expect(try await backend.query(show).first?.text("synchronous_commit") == "on", "SET LOCAL ended with its transaction")
        }
    }

    @Test("a network host without sslmode=require sends in the clear; loopback or require does not")
    func sendsInTheClear() throws {
        func clear(_ url: String) throws -> Bool {
            guard case .postgres(let location) = try StorageLocation(parsing: url) else { return false }
            return location.sendsInTheClear
        }
        #expect(try clear("postgres://u:p@db.internal:5432/h") && clear("postgres://u:p@10.0.0.5/h?sslmode=prefer"))
        #expect(try !clear("postgres://u:p@db.internal/h?sslmode=require"))
        #expect(try !clear("postgres://u:p@localhost/h") && !clear("postgres://u:p@127.0.0.1:55432/h"))
    }
}
