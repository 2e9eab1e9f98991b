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

    /// A fresh location: a new SQLite file in a temporary directory, or the shared test PostgreSQL database
    /// (tests isolate themselves there with unique source ids).
    public func makeLocation() throws -> StorageLocation {
        switch self {
        case .sqlite:
            return .sqlite(path: TemporaryDirectory.make().appendingPathComponent("hookgate.sqlite").path)
        case .postgres:
            guard let url = Self.postgresURL else { throw TestSetupError("HOOKGATE_TEST_POSTGRES_URL is not set") }
            return try StorageLocation(parsing: url)
        }
    }

    /// The `storage.url` for ``makeLocation()``'s location, for configs written to files.
    public func makeStorageURL() throws -> String {
        switch try makeLocation() {
        case .sqlite(let path): "sqlite://\(path)"
        case .postgres: Self.postgresURL!
        }
    }
}

/// Runs `body` with a migrated store whose service is running, and shuts it down afterwards.
public func withTestStore<Result: Sendable>(
    _ backend: TestBackend,
    location: StorageLocation? = nil,
    _ body: @Sendable (any EventStore) async throws -> Result
) async throws -> Result {
    let logger = Logger(label: "test")
    let store = try await StorageFactory.open(location ?? backend.makeLocation(), logger: logger)
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

/// A unique directory under the system's temporary directory.
public enum TemporaryDirectory {
    public static func make() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hookgate-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// A source id no other test uses, so tests sharing one PostgreSQL database never see each other's rows.
public func uniqueSourceID(_ prefix: String = "src") -> String {
    "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
}
