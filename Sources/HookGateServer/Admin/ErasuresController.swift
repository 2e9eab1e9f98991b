import Foundation
import HookGateCore
import HookGateStorage
import Hummingbird

/// Erasure of one customer's data (DESIGN.md §13): started here, run in the background by ``ErasureService``,
/// followed by its id.
struct ErasuresController {
    let store: any EventStore
    let erasures: ErasureService
    let sourceIDs: Set<String>

    func register(on group: RouterGroup<AdminRequestContext>) {
        group.post("erasures", use: create)
        group.get("erasures", use: list)
        group.get("erasures/:id", use: show)
    }

    @Sendable func create(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let body = try await ErasureRequest.read(request)
        guard body.customerGiven else {
            throw AdminError.badRequest("customer is required: an object with at least one of \"id\", \"email\", \"phone\"")
        }
        let keys: CustomerKeys
        do {
            keys = try CustomerKeys(id: body.id, email: body.email, phone: body.phone)
        } catch {
            throw AdminError.badRequest(error.description)
        }
        if let sources = body.sources {
            guard !sources.isEmpty else { throw AdminError.badRequest("sources, when given, must name at least one source") }
            if let unknown = sources.first(where: { !sourceIDs.contains($0) }) {
                throw AdminError.badRequest("sources: \"\(unknown)\" is not a configured source")
            }
        }
        let scope = ErasureScope.customer(keys)
        let started = try await erasures.start(scope, sources: body.sources, actor: context.principal?.name ?? "unknown") { id, _ in
            Audit.entry(context, action: "erasure.create", target: id, detail: [("scope", ErasureService.describe(scope, sources: body.sources))])
        }
        return try .encoded(.accepted, ErasureResponse(started), headers: [.location: "/v1/erasures/\(started.id)"])
    }

    @Sendable func show(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let progress = try await store.erasure(id: id) else { throw AdminError.notFound("no erasure \(id)") }
        return try .encoded(.ok, ErasureResponse(progress))
    }

    /// The newest erasures, at most `limit`.
    @Sendable func list(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let parameters = try ListParameters(request)
        let page = try await store.erasures(limit: parameters.limit)
        return try .encoded(.ok, ListPage(data: page.map(ErasureResponse.init), nextCursor: nil))
    }
}
