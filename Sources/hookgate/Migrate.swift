import ArgumentParser
import HookGateCore
import HookGateStorage
import ServiceLifecycle
import Logging

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending storage migrations and exit.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let logger = options.makeLogger()
        let configuration = try options.loadConfiguration()
        let store = try await StorageFactory.open(configuration.storage.location, logger: logger)
        let applied = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await store.run() }
            defer { group.cancelAll() }
            return try await store.migrate(logger: logger)
        }
        print(applied.isEmpty ? "storage is up to date (\(configuration.storage.location))" : "applied migrations \(applied.map(String.init).joined(separator: ", ")) to \(configuration.storage.location)")
    }
}
