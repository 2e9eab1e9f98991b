import ArgumentParser
import HookGateCore
import HookGateStorage
import Logging
import ServiceLifecycle

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending storage migrations, seal subscription secrets with the current key, and exit.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let logger = options.makeLogger()
        let configuration = try options.loadConfiguration()
        let store = try await StorageFactory.open(configuration.storage, logger: logger)
        let (applied, sealed) = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await store.run() }
            defer { group.cancelAll() }
            return (try await store.migrate(logger: logger), try await store.sealSubscriptionSecrets())
        }
        print(
            applied.isEmpty
                ? "storage is up to date (\(configuration.storage.location))"
                : "applied migrations \(applied.map(String.init).joined(separator: ", ")) to \(configuration.storage.location)")
        if sealed > 0, let key = configuration.storage.encryptionKey { print("sealed \(sealed) subscription secret(s) with \(key)") }
    }
}
