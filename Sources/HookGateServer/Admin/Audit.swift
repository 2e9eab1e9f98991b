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
        var writer = JSONWriter(capacity: 64)
        writer.object { writer in detail.forEach { writer.field($0.0, $0.1) } }
        let now = Date()
        return AuditEntry(
            id: Identifier.make(prefix: "aud_", now: now), at: now, actor: context.principal?.name ?? "unknown",
            action: action, target: target, detail: String(decoding: writer.bytes, as: UTF8.self)
        )
    }
}
