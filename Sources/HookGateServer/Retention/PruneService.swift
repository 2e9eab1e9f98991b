import CoreMetrics
import Foundation
import HookGateCore
import HookGateStorage
import Logging
import ServiceLifecycle

/// Background retention (DESIGN.md §13): a pruning pass every `interval`, in paced batches, the next one at once
/// while passes find a backlog, with the rows removed by table and the storage size on `/metrics`. Every instance
/// runs it: on a shared PostgreSQL two passes at once only find each other's rows already gone.
struct PruneService: Service {
    let pruner: Pruner
    let store: any RetentionStore
    let interval: Duration
    let logger: Logger
    let ready: @Sendable () async throws -> Void
    let status: RetentionStatus
    /// The wait before the next pass when the last found a backlog: a breath, not a minute.
    static let afterBacklog: Duration = .seconds(1)
    private let pruned: [String: Counter]
    private let storageBytes: Gauge

    init(
        store: any RetentionStore, retention: HookGateConfiguration.Retention, interval: Duration = .seconds(60), factory: any MetricsFactory,
        status: RetentionStatus, logger: Logger, ready: @escaping @Sendable () async throws -> Void
    ) {
        self.status = status
        self.pruner = Pruner(store: store, retention: retention)
        self.store = store
        self.interval = interval
        self.logger = logger
        self.ready = ready
        pruned = Dictionary(
            uniqueKeysWithValues: PruneCounts().byTable.map { table, _ in
                (table, Counter(label: "hookgate_pruned_rows_total", dimensions: [("table", table)], factory: factory))
            })
        storageBytes = Gauge(label: "hookgate_storage_bytes", factory: factory)
    }

    /// `hookgate_storage_bytes`, under the storage deadline.
    private func recordSize() async {
        let store = self.store
        do {
            let bytes = try await withDeadline(.seconds(5)) { try await store.storageBytes() }
            storageBytes.record(bytes)
            status.storageMeasured(bytes)
        } catch {
            logger.warning("cannot read the storage size", metadata: ["hookgate.error": "\(error)"])
        }
    }

    func run() async throws {
        try await ready()
        // The first pass waits an interval: start-up (and every test's short-lived gateway) has other work, and a
        // backlog that waited this long can wait a minute more. The size is known at once.
        await recordSize()
        var wait = interval
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { [wait] in try await Task.sleep(for: wait) }
            guard !Task.isShuttingDownGracefully && !Task.isCancelled else { return }
            wait = interval
            do {
                let started = ContinuousClock.now
                // Graceful shutdown ends a pass between batches; what is left waits for the next pass.
                let removed = try await cancelWhenGracefulShutdown { [pruner, pruned] in
                    var counted = PruneCounts()
                    return try await pruner.pass { total in
                        for (now, before) in zip(total.byTable, counted.byTable) { pruned[now.table]?.increment(by: now.rows - before.rows) }
                        counted = total
                    }
                }
                status.passFinished(removed, at: Date())
                if pruner.foundBacklog(removed) { wait = Self.afterBacklog }
                if !removed.isEmpty {
                    var metadata = Logger.Metadata(uniqueKeysWithValues: removed.byTable.map { ("hookgate.pruned.\($0.table)", "\($0.rows)") })
                    metadata["hookgate.pass.seconds"] = "\(started.duration(to: .now).timeInterval)"
                    logger.notice("pruned by retention", metadata: metadata)
                }
            } catch is CancellationError {
                return
            } catch {
                logger.warning("cannot prune", metadata: ["hookgate.error": "\(error)"])
            }
            await recordSize()
        }
    }
}
