import Foundation
import HookGateCore
import HookGateStorage

/// Records a write made through the admin API (the CLI goes through it too) in the audit log.
struct Audit {
    let store: any EventStore

    /// - Parameters:
    ///   - action: what was done (`delivery.replay`, `subscription.create`, …).
    ///   - target: the id or filter acted on.
    ///   - detail: members of the entry's JSON detail.
    func record(_ context: AdminRequestContext, action: String, target: String, detail: [(String, String)] = []) async throws {
        var writer = JSONWriter(capacity: 64)
        writer.object { writer in detail.forEach { writer.field($0.0, $0.1) } }
        let now = Date()
        try await store.appendAudit(AuditEntry(
            id: Identifier.make(prefix: "aud_", now: now), at: now, actor: context.principal?.name ?? "unknown",
            action: action, target: target, detail: String(decoding: writer.bytes, as: UTF8.self)
        ))
    }
}
