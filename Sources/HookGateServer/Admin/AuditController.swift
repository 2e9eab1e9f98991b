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
            return try .encoded(.ok, ListPage(data: try page.items.map(AuditEntryResponse.init), nextCursor: page.nextCursor))
        }
    }
}
