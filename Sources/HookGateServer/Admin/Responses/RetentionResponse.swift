import HookGateCore

/// `GET /v1/retention`. Each period is in seconds, null keeping that kind of data forever.
struct RetentionResponse: Encodable, Sendable {
    @ExplicitNull var receiptBodiesSeconds: Int?
    @ExplicitNull var eventsSeconds: Int?
    @ExplicitNull var auditSeconds: Int?
    /// Null until this instance has read it (at start, then after each pass).
    @ExplicitNull var storageBytes: Int?
    /// Null until this instance's first pass has ended.
    @ExplicitNull var lastPrune: LastPrune?

    struct LastPrune: Encodable, Sendable {
        var finishedAt: String
        /// Rows removed by table, as in `hookgate_pruned_rows_total{table}`.
        var removed: [String: Int]

        enum CodingKeys: String, CodingKey {
            case finishedAt = "finished_at"
            case removed
        }
    }

    enum CodingKeys: String, CodingKey {
        case receiptBodiesSeconds = "receipt_bodies_seconds"
        case eventsSeconds = "events_seconds"
        case auditSeconds = "audit_seconds"
        case storageBytes = "storage_bytes"
        case lastPrune = "last_prune"
    }

    init(_ retention: HookGateConfiguration.Retention, lastPass: RetentionStatus.Pass?, storageBytes: Int?) {
        receiptBodiesSeconds = retention.receiptBodies.map { Int($0.components.seconds) }
        eventsSeconds = retention.events.map { Int($0.components.seconds) }
        auditSeconds = retention.audit.map { Int($0.components.seconds) }
        self.storageBytes = storageBytes
        lastPrune = lastPass.map { pass in
            LastPrune(
                finishedAt: Timestamp.rfc3339(pass.finishedAt, milliseconds: true),
                removed: Dictionary(uniqueKeysWithValues: pass.removed.byTable.map { ($0.table, $0.rows) }))
        }
    }
}
