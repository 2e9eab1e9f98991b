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
            var writer = JSONWriter(capacity: 256)
            writer.object { writer in
                writer.key("data")
                writer.array { writer in
                    for entry in page.items {
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
                writer.field("next_cursor", page.nextCursor)
            }
            return .json(.ok, writer.bytes)
        }
    }
}
