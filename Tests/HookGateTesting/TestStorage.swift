import Foundation
import HookGateCore
import HookGateStorage
import Logging
import ServiceLifecycle

/// The storage backends a test run has. SQLite always; PostgreSQL when `HOOKGATE_TEST_POSTGRES_URL` names a
/// server (CI always sets it, and a test fails the run under CI when it does not).
public enum TestBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgres

    public var description: String { rawValue }

    public static var available: [TestBackend] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["HOOKGATE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// True when running under CI, where every backend must be tested.
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

    /// A fresh location: a new SQLite file in a temporary directory, or a new database on the test PostgreSQL
    /// server. Every gateway serves every delivery and subscription its database holds, so tests that ran in
    /// parallel on one database would serve each other's work.
    public func makeLocation() throws -> StorageLocation {
        try StorageLocation(parsing: makeStorageURL())
    }

    /// The `storage.url` of a fresh location (see ``makeLocation()``), for configs.
    public func makeStorageURL() throws -> String {
        switch self {
        case .sqlite:
            return "sqlite://" + TemporaryDirectory.make().appendingPathComponent("hookgate.sqlite").path
        case .postgres:
            guard let url = Self.postgresURL, var components = URLComponents(string: url) else {
                throw TestSetupError("HOOKGATE_TEST_POSTGRES_URL is not set")
            }
            let name = "hookgate_t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
            try Self.psql(url, "CREATE DATABASE \(name)")
            components.path = "/" + name
            return components.string!
        }
    }

    /// Runs one SQL command with `psql` against `url`.
    public static func psql(_ url: String, _ command: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", url, "-qc", command]
        // A file, not a pipe: nothing here reads it while psql runs.
        let log = TemporaryDirectory.make().appendingPathComponent("psql.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        guard process.terminationStatus == 0 else {
            throw TestSetupError("psql \(command) failed: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        }
    }
}

/// Runs `body` with a migrated store whose service is running, and shuts it down afterwards.
public func withTestStore<Result: Sendable>(
    _ backend: TestBackend,
    location: StorageLocation? = nil,
    sealer: SecretSealer = SecretSealer(),
    _ body: @Sendable (any EventStore) async throws -> Result
) async throws -> Result {
    let logger = Logger(label: "test")
    let store = try await StorageFactory.open(location ?? backend.makeLocation(), sealer: sealer, logger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await store.run() }
        defer { group.cancelAll() }
        _ = try await store.migrate(logger: logger)
        return try await body(store)
    }
}

public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Unique directories for a test's files (databases, certificates, configurations, server output).
public enum TemporaryDirectory {
    /// All of one test process's directories, in one place that is removed when the process exits: a run of the
    /// suite makes about a hundred, and they would otherwise pile up in the system's temporary directory.
    private static let root: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hookgate-test-\(getpid())")
        try? FileManager.default.removeItem(at: url)
        atexit { try? FileManager.default.removeItem(at: TemporaryDirectory.root) }
        return url
    }()

    public static func make() -> URL {
        let url = root.appendingPathComponent(UUID().uuidString)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// A source id no other test uses, so tests sharing one PostgreSQL database never see each other's rows.
public func uniqueSourceID(_ prefix: String = "src") -> String {
    "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
}

extension DeliveryQueue {
    /// Leases live and replayed work alike, without pacing: what the storage tests need.
    public func claimDeliveries(destination: String, limit: Int, owner: String, now: Date, leaseUntil: Date) async throws -> [ClaimedDelivery] {
        try await claimDeliveries(destination: destination, limit: limit, replayLimit: limit, owner: owner, now: now, leaseUntil: leaseUntil)
    }
}
