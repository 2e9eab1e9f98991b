import Foundation
import HookGateCore
import HookGateStorage
import Hummingbird

/// `GET /v1/audit`: newest first, with id cursors.
struct AuditController {
    let store: any EventStore

    func register(on group: RouterGroup<AdminRequestContext>) {
        group.get("audit") { request, _ -> Response in
            let parameters = try ListParameters(request)
            let page = try await store.auditLog(limit: parameters.limit, before: parameters.cursor)
            return .page(page.items, nextCursor: page.nextCursor) { writer, entry in
                writer.object { writer in
                    writer.field("id", entry.id)
                    writer.field("at", Timestamp.rfc3339(entry.at, milliseconds: true))
                    writer.field("actor", entry.actor)
                    writer.field("action", entry.action)
                    writer.field("target", entry.target)
                    writer.key("detail")
                    writer.raw(Array(entry.detail.utf8))
                }
            }
        }
    }
}
