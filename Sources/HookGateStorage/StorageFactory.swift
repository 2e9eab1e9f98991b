import HookGateCore
import Logging

/// Opens the store that `storage.url` names.
public enum StorageFactory {
    public static func open(_ location: StorageLocation, logger: Logger) async throws -> any EventStore {
        switch location {
        case .sqlite(let path):
            return SQLEventStore(database: try await SQLiteBackend.open(path: path, logger: logger))
        case .postgres(let postgres):
            return SQLEventStore(database: try PostgresBackend(location: postgres, logger: logger))
        }
    }
}
