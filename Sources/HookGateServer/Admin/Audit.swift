import Foundation
import HookGateCore
import HookGateStorage

/// Audit-log entries for writes made through the admin API (the CLI goes through it too). The store commits each
/// in the same transaction as the change it records.
enum Audit {
    /// - Parameters:
    ///   - action: what was done (`delivery.replay`, `subscription.create`, …).
    ///   - target: the id or filter acted on.
    ///   - detail: members of the entry's JSON detail.
    static func entry(_ context: AdminRequestContext, action: String, target: String, detail: [(String, String)] = []) -> AuditEntry {
        entry(actor: context.principal?.name ?? "unknown", action: action, target: target) { writer in detail.forEach { writer.field($0.0, $0.1) } }
    }

    /// An entry by `actor` (a principal, or `hookgate` for the gateway's own work) at `now`; `detail` writes the
    /// members of its JSON detail.
    static func entry(
        actor: String, action: String, target: String, at now: Date = Date(), detail: (inout JSONWriter) -> Void
    ) -> AuditEntry {
        var writer = JSONWriter(capacity: 64)
        writer.object(detail)
        return AuditEntry(
            id: Identifier.make(prefix: "aud_", now: now), at: now, actor: actor, action: action, target: target,
            detail: String(decoding: writer.bytes, as: UTF8.self))
    }
}
