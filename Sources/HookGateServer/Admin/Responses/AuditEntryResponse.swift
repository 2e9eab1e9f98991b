import HookGateCore

/// One audit-log entry: who changed what, and when.
struct AuditEntryResponse: Encodable, Sendable {
    var id: String
    var at: String
    var actor: String
    var action: String
    var target: String
    /// The filter, the counts, the members changed.
    var detail: StoredJSONObject

    init(_ entry: AuditEntry) throws {
        id = entry.id
        at = Timestamp.rfc3339(entry.at, milliseconds: true)
        actor = entry.actor
        action = entry.action
        target = entry.target
        detail = try StoredJSONObject(text: entry.detail)
    }
}
