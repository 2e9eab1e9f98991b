import Foundation
import HookGateCore
import Logging
import ServiceLifecycle

/// Reloads the active subscriptions every few seconds, so that one created, changed or disabled through any
/// instance is matched at ingest and served by the workers of all of them; and forgets rotated-out secrets whose
/// overlap has passed (a secret no longer used is not kept a moment longer than the refresh).
public struct DirectoryRefresh: Service {
    let directory: DestinationDirectory
    let store: any SubscriptionStore
    let interval: Duration
    let ready: @Sendable () async throws -> Void
    let logger: Logger

    public init(
        directory: DestinationDirectory, store: any SubscriptionStore, interval: Duration = .seconds(5), logger: Logger,
        ready: @escaping @Sendable () async throws -> Void
    ) {
        self.directory = directory
        self.store = store
        self.interval = interval
        self.logger = logger
        self.ready = ready
    }

    public func run() async throws {
        try await ready()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let directory = self.directory
                let store = self.store
                try await withDeadline(DeliveryService.storageDeadline) {
                    _ = try await store.clearExpiredPreviousSecrets(now: Date())
                    try await directory.reload(from: store)
                }
            } catch {
                logger.warning("cannot reload subscriptions", metadata: ["hookgate.error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
