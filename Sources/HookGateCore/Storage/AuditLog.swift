/// The record of every write made through the admin API or the CLI (DESIGN.md §8).
public protocol AuditLog: Sendable {
    /// Records a write that has no audited method of its own.
    func appendAudit(_ entry: AuditEntry) async throws

    /// The audit log, newest first, before the id cursor `before`.
    func auditLog(limit: Int, before: String?) async throws -> Page<AuditEntry>
}
