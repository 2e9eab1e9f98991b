import Foundation
import HookGateCore
import HookGateStorage
import Logging
import ServiceLifecycle

/// Reloads the active subscriptions every few seconds, so that one created, changed or disabled through any
/// instance is matched at ingest and served by the workers of all of them.
public struct DirectoryRefresh: Service {
    let directory: DestinationDirectory
    let store: any DeliveryStore
    let interval: Duration
    let ready: @Sendable () async throws -> Void
    let logger: Logger

    public init(
        directory: DestinationDirectory, store: any DeliveryStore, interval: Duration = .seconds(5), logger: Logger,
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
                let directory = self.directory, store = self.store
                try await withDeadline(DeliveryService.storageDeadline) { try await directory.reload(from: store) }
            } catch {
                logger.warning("cannot reload subscriptions", metadata: ["hookgate.error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
