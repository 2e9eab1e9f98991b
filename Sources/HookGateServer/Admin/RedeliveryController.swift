import Foundation
import HookGateCore
import HookGateDelivery
import HookGateStorage
import Hummingbird

/// `POST /v1/events/{id}/redeliver` (DESIGN.md §8): fans a stored event out again, to what the routes and
/// subscriptions select today or to the destinations named.
struct RedeliveryController {
    let store: any EventStore
    let directory: DestinationDirectory
    let notice: WorkNotice

    func register(on group: RouterGroup<AdminRequestContext>) {
        group.post("events/:id/redeliver", use: redeliver)
    }

    @Sendable func redeliver(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let named = try await RedeliverRequest.read(request, optional: true).targets.map(resolve)
        guard let event = try await store.event(id: id) else { throw AdminError.notFound("no event \(id)") }
        // A fan-out like the first: each first attempt waits the first entry of its destination's schedule.
        let deliveries = named.map(directory.fanOut.planned) ?? directory.fanOut.deliveries(forType: event.type, source: event.sourceID)
        let audit = Audit.entry(
            context, action: "event.redeliver", target: id, detail: [("destinations", deliveries.map(\.destination).joined(separator: " "))])
        guard let results = try await store.redeliver(eventID: id, deliveries: deliveries, now: Date(), audit: audit) else {
            throw AdminError.notFound("no event \(id)")
        }
        await notice.send()
        let outcomes = results.map { RedeliveryResponse.Delivery(id: $0.deliveryID, destination: $0.destination, result: $0.result.rawValue) }
        return try .encoded(.accepted, RedeliveryResponse(eventID: id, deliveries: outcomes))
    }

    /// Destination names as in filters (`target:billing`, `subscription:sub_…`); a bare target id is taken too.
    private func resolve(_ names: [String]) throws -> [String] {
        guard !names.isEmpty else { throw AdminError.badRequest("targets must name at least one destination, or be left out for the current routes") }
        let known = Set(directory.all.map(\.name))
        var result: [String] = []
        for name in names {
            let destination = name.contains(":") ? name : "target:" + name
            guard known.contains(destination) else {
                throw AdminError.badRequest(
                    "targets: \"\(name)\" is not a configured target (target:<id>) or an active subscription (subscription:<id>)")
            }
            if !result.contains(destination) { result.append(destination) }
        }
        return result
    }
}
