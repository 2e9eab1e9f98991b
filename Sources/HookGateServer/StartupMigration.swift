import HookGateCore
import HookGateStorage
import Logging
import ServiceLifecycle
import Synchronization

/// Applies pending migrations (and seals subscription secrets not yet sealed with the current key) once the store
/// runs, before the ingest listener opens and the delivery workers start; both wait for it. With `enabled` false (`serve --no-migrate`) it only opens the gate.
final class StartupMigration: Service, CustomStringConvertible {
    private struct State {
        var result: Result<Void, any Error>?
        var waiters: [CheckedContinuation<Void, any Error>] = []
    }

    private let store: any EventStore
    private let enabled: Bool
    private let logger: Logger
    private let state = Mutex(State())

    init(store: any EventStore, enabled: Bool, logger: Logger) {
        self.store = store
        self.enabled = enabled
        self.logger = logger
    }

    var description: String { "StartupMigration" }

    func run() async throws {
        do {
            if enabled {
                let applied = try await store.migrate(logger: logger)
                if !applied.isEmpty { logger.notice("migrated storage", metadata: ["hookgate.migrations": "\(applied)"]) }
                let sealed = try await store.sealSubscriptionSecrets()
                if sealed > 0 {
                    logger.notice("sealed subscription secrets with storage.encryption_key", metadata: ["hookgate.subscriptions": "\(sealed)"])
                }
            }
            finish(.success(()))
        } catch {
            finish(.failure(error))
            throw error
        }
        try? await gracefulShutdown()
    }

    /// Returns once migrations are applied; throws what they threw.
    func wait() async throws {
        try await withCheckedThrowingContinuation { continuation in
            let result = state.withLock { state -> Result<Void, any Error>? in
                if state.result == nil { state.waiters.append(continuation) }
                return state.result
            }
            if let result { continuation.resume(with: result) }
        }
    }

    private func finish(_ result: Result<Void, any Error>) {
        let waiters = state.withLock { state in
            state.result = result
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume(with: result) }
    }
}
