import HookGateCore

/// An erasure's progress (`GET /v1/erasures/{id}`); never the customer's values.
struct ErasureResponse: Encodable, Sendable {
    var id: String
    /// `running`, `done` or `failed`.
    var state: String
    var receipts: Int
    var events: Int
    var deliveriesCancelled: Int
    /// What it covers: which kinds of customer value were given, and the sources.
    var scope: String
    /// Events looked at so far, of `total`.
    var scanned: Int
    var total: Int
    @ExplicitNull var error: String?
    var createdBy: String
    var createdAt: String
    var updatedAt: String

    enum CodingKeys: String, CodingKey {
        case id, state, receipts, events, scope, scanned, total, error
        case deliveriesCancelled = "deliveries_cancelled"
        case createdBy = "created_by"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    init(_ progress: ErasureProgress) {
        id = progress.id
        state = progress.state.rawValue
        receipts = progress.counts.receipts
        events = progress.counts.events
        deliveriesCancelled = progress.counts.deliveriesCancelled
        scope = progress.scope
        scanned = progress.counts.scanned
        total = progress.total
        error = progress.error
        createdBy = progress.actor
        createdAt = Timestamp.rfc3339(progress.createdAt, milliseconds: true)
        updatedAt = Timestamp.rfc3339(progress.updatedAt, milliseconds: true)
    }
}
