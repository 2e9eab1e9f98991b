import Foundation

/// Removing what retention no longer keeps (DESIGN.md §13), a small batch at a time so that no transaction holds
/// SQLite's one writer, or PostgreSQL row locks, long enough to be felt by ingest or delivery.
public protocol RetentionStore: Sendable {
    /// One batch: at most `limit` receipt bodies, `limit` events (with their deliveries, attempts and receipts) and
    /// `limit` audit entries older than their cutoffs, each group in its own short transaction. An event with a
    /// delivery that can still be attempted is left alone. Nothing removed means nothing is left to remove.
    func prune(_ cutoffs: RetentionCutoffs, limit: Int) async throws -> PruneBatch

    /// The `limit` a pass uses here: the rows that keep one batch's transaction a few milliseconds of work.
    var pruneBatch: Int { get }

    /// What ``prune(_:limit:)`` would remove, all batches together, changing nothing (`hookgate prune --dry-run`).
    func countPrunable(_ cutoffs: RetentionCutoffs) async throws -> PruneCounts

    /// The database's size on disk in bytes (`hookgate_storage_bytes`).
    func storageBytes() async throws -> Int
}

/// What one prune batch removed, and how long its statements held the database: the pruner rests in proportion to
/// that, not to the batch's wall time, which on SQLite is mostly waiting for the one writer behind ingest.
public struct PruneBatch: Sendable {
    public var removed = PruneCounts()
    public var held = Duration.zero

    public init() {}

    public static func += (total: inout PruneBatch, part: PruneBatch) {
        total.removed += part.removed
        total.held += part.held
    }
}

/// The times before which data is removed; nil keeps that kind of data forever.
public struct RetentionCutoffs: Sendable, Equatable {
    public var receiptBodies: Date?
    public var events: Date?
    public var audit: Date?

    public init(receiptBodies: Date?, events: Date?, audit: Date?) {
        self.receiptBodies = receiptBodies
        self.events = events
        self.audit = audit
    }

    /// The cutoffs of `retention` at `now`.
    public init(_ retention: HookGateConfiguration.Retention, now: Date) {
        func cutoff(_ period: Duration?) -> Date? { period.map { now.addingTimeInterval(-$0.timeInterval) } }
        self.init(receiptBodies: cutoff(retention.receiptBodies), events: cutoff(retention.events), audit: cutoff(retention.audit))
    }
}

/// Rows removed (or, for a dry run, that would be), by table.
public struct PruneCounts: Sendable, Equatable {
    /// Receipts whose body and headers were removed, the row kept.
    public var receiptBodies = 0
    public var receipts = 0
    public var events = 0
    public var deliveries = 0
    public var attempts = 0
    public var audit = 0

    public init() {}

    public var isEmpty: Bool { self == PruneCounts() }

    /// All rows together, each emptied body one.
    public var rows: Int { byTable.reduce(0) { $0 + $1.rows } }

    /// Each table's name (as in `hookgate_pruned_rows_total{table}`) and its count.
    public var byTable: [(table: String, rows: Int)] {
        [
            ("receipt_bodies", receiptBodies), ("receipts", receipts), ("events", events), ("deliveries", deliveries),
            ("delivery_attempts", attempts), ("audit_log", audit),
        ]
    }

    public static func += (total: inout PruneCounts, batch: PruneCounts) {
        total.receiptBodies += batch.receiptBodies
        total.receipts += batch.receipts
        total.events += batch.events
        total.deliveries += batch.deliveries
        total.attempts += batch.attempts
        total.audit += batch.audit
    }
}
