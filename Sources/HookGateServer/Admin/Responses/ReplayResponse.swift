import HookGateCore

/// A bulk replay's progress (`GET /v1/replays/{id}`).
struct ReplayResponse: Encodable, Sendable {
    var id: String
    /// `running`, `completed` or `cancelled`.
    var state: String
    var matched: Int
    var queued: Int
    var succeeded: Int
    var failed: Int
    var cancelled: Int
    /// The filter as the operator gave it.
    var filter: StoredJSONObject
    var createdBy: String
    var createdAt: String
    @ExplicitNull var cancelledAt: String?

    enum CodingKeys: String, CodingKey {
        case id, state, matched, queued, succeeded, failed, cancelled, filter
        case createdBy = "created_by"
        case createdAt = "created_at"
        case cancelledAt = "cancelled_at"
    }

    init(_ progress: ReplayProgress) throws {
        id = progress.id
        state = progress.state
        matched = progress.matched
        queued = progress.queued
        succeeded = progress.succeeded
        failed = progress.failed
        cancelled = progress.cancelled
        filter = try StoredJSONObject(text: progress.filter)
        createdBy = progress.actor
        createdAt = Timestamp.rfc3339(progress.createdAt, milliseconds: true)
        cancelledAt = progress.cancelledAt.map { Timestamp.rfc3339($0, milliseconds: true) }
    }
}
