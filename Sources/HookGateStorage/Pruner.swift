import Foundation
import HookGateCore

/// One retention pass (DESIGN.md §13): batches of ``RetentionStore/prune(_:limit:)`` until nothing older than the
/// cutoffs of the pass's start is left, pausing between batches so that ingest and delivery get the database in
/// between. Used by the gateway's background pruning and by `hookgate prune`.
public struct Pruner: Sendable {
    let store: any RetentionStore
    let retention: HookGateConfiguration.Retention
    /// Rows of each kind per batch.
    let batch: Int
    let pause: Duration
    /// How long one batch may take. An unreachable PostgreSQL holds a query for a minute and ignores cancellation;
    /// the pass gives up instead, so that shutdown is not held, and the abandoned batch ends on its own.
    static let batchDeadline: Duration = .seconds(5)
    /// Time resting for each unit of time a batch took.
    static let restPerWork = 4

    /// `batch` defaults to the store's ``RetentionStore/pruneBatch``.
    public init(store: any RetentionStore, retention: HookGateConfiguration.Retention, batch: Int? = nil, pause: Duration = .milliseconds(20)) {
        self.store = store
        self.retention = retention
        self.batch = batch ?? store.pruneBatch
        self.pause = pause
    }

    /// True when a pass removed at least a whole batch of something: it found a backlog, and what arrived while it
    /// ran is likely as much again, so the next pass should start at once rather than after the interval. (A pass
    /// fixes its cutoffs at its start; waiting a minute after each long pass let a busy store fall further behind
    /// every pass.)
    public func foundBacklog(_ removed: PruneCounts) -> Bool {
        [removed.events, removed.receiptBodies, removed.audit, removed.receipts].contains { $0 >= batch }
    }

    /// What a pass now would remove, changing nothing.
    public func dryRun(now: Date = Date()) async throws -> PruneCounts {
        try await store.countPrunable(RetentionCutoffs(retention, now: now))
    }

    /// Removes what retention no longer keeps; `progress` hears each batch's running total. Stops early, with what
    /// it removed so far, when the task is cancelled.
    public func pass(now: Date = Date(), progress: (PruneCounts) -> Void = { _ in }) async throws -> PruneCounts {
        let cutoffs = RetentionCutoffs(retention, now: now)
        var total = PruneCounts()
        // Every row a batch removes is older than the fixed cutoffs, so the pass ends however fast new data comes.
        while !Task.isCancelled {
            let (store, batch) = (self.store, self.batch)
            let done = try await withDeadline(Self.batchDeadline) { try await store.prune(cutoffs, limit: batch) }
            if done.removed.isEmpty { break }
            total += done.removed
            progress(total)
            // At most a fifth of the database's time: on SQLite every batch holds the one writer that ingest
            // commits need, so a pass that ran flat out would stall ingest for as long as it lasts. The time the
            // batch waited for that writer is not counted: resting for it too (a first version did) left the pass
            // removing fewer events a second than 1,000/s of ingest brought in.
            try? await Task.sleep(for: max(pause, done.held * Self.restPerWork))
        }
        return total
    }
}
