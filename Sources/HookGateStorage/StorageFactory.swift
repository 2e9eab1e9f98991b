import HookGateCore
import Logging

/// Opens the store that `storage.url` names.
public enum StorageFactory {
    /// `sealer` seals subscription secrets with `storage.encryption_key`; the default stores them as they are.
    public static func open(_ location: StorageLocation, sealer: SecretSealer = SecretSealer(), logger: Logger) async throws -> any EventStore {
        switch location {
        case .sqlite(let path):
            return SQLEventStore(database: try await SQLiteBackend.open(path: path, logger: logger), sealer: sealer)
        case .postgres(let postgres):
            return SQLEventStore(database: try PostgresBackend(location: postgres, logger: logger), sealer: sealer)
        }
    }

    /// Opens the store `storage` configures, sealing secrets with its keys.
    public static func open(_ storage: HookGateConfiguration.Storage, logger: Logger) async throws -> any EventStore {
        try await open(
            storage.location, sealer: SecretSealer(current: storage.encryptionKey, previous: storage.previousEncryptionKeys), logger: logger)
    }
}
