import Foundation
import HookGateCore
@testable import HookGateStorage
import HookGateTesting
import Logging
import Testing

/// What HookGate's PostgreSQL connections set for themselves rather than trusting the server's defaults.
@Suite("PostgreSQL sessions")
struct PostgresSessionTests {
    @Test("commits wait for the disk even where the database's default says not to; bookkeeping relaxes only itself",
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
            let show = SQLStatement(.postgres, "SHOW synchronous_commit")
            let durable = try await backend.transaction(durable: true) { try await $0.query(show) }
            #expect(try durable.first?.text(0) == "on")
            let relaxed = try await backend.transaction(durable: false) { try await $0.query(show) }
            #expect(try relaxed.first?.text(0) == "off")
            #expect(try await backend.query(show).first?.text(0) == "on", "SET LOCAL ended with its transaction")
        }
    }

    @Test("only loopback hosts count as local for the sslmode warning")
    func localHosts() {
        #expect(PostgresBackend.isLocal("localhost") && PostgresBackend.isLocal("127.0.0.1") && PostgresBackend.isLocal("::1"))
        #expect(!PostgresBackend.isLocal("db.internal") && !PostgresBackend.isLocal("10.0.0.5"))
    }
}
