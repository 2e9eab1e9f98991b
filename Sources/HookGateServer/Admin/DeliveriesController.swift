import Foundation
import HookGateCore
import HookGateDelivery
import HookGateStorage
import Hummingbird

/// Deliveries and their attempts (DESIGN.md §8).
struct DeliveriesController {
    let store: any EventStore
    let notice: WorkNotice
    let directory: DestinationDirectory
    /// This instance's circuit states; nil on an instance that does not deliver.
    let circuits: (@Sendable () -> [String: String])?

    func register(on group: RouterGroup<AdminRequestContext>) {
        group.get("deliveries", use: list)
        group.get("deliveries/:id", use: show)
        group.post("deliveries/:id/replay", use: replay)
    }

    @Sendable func list(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let parameters = try ListParameters(request)
        let status = try parameters.string("status").map { text in
            guard let status = DeliveryStatus(rawValue: text) else {
                throw AdminError.badRequest("status must be one of \(DeliveryStatus.allCases.map(\.rawValue).sorted().joined(separator: ", "))")
            }
            return status
        }
        let page = try await store.deliveries(
            DeliveryQuery(
                status: status, destination: parameters.string("destination"), eventID: parameters.string("event_id"),
                since: try parameters.time("since"), until: try parameters.time("until"), limit: parameters.limit, after: parameters.cursor
            ))
        return try .encoded(.ok, ListPage(data: page.items.map { DeliveryResponse($0, withEventID: true) }, nextCursor: page.nextCursor))
    }

    /// Queues the delivery again now: same delivery and `webhook-id`, a new attempt series, history kept.
    @Sendable func replay(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        switch try await store.replayDelivery(id: id, now: Date(), audit: Audit.entry(context, action: "delivery.replay", target: id)) {
        case .notFound:
            throw AdminError.notFound("no delivery \(id)")
        case .inFlight:
            throw AdminError(
                status: .conflict, code: "conflict", detail: "delivery \(id) is being attempted right now; replay it once the attempt ends")
        case .queued:
            await notice.send()
            return try .encoded(.accepted, DeliveryQueuedResponse(id: id, status: DeliveryStatus.pending.rawValue))
        }
    }

    /// One delivery with every attempt (when it started, how long it took, the status or error, the response's start)
    /// and, while one is planned, when and why it will be attempted next.
    @Sendable func show(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let (delivery, attempts) = try await store.delivery(id: id) else { throw AdminError.notFound("no delivery \(id)") }
        // A destination no longer configured (a removed target, a deleted subscription) has no schedule to explain.
        let next = directory.all.first { $0.name == delivery.destination }.flatMap { destination in
            NextAttempt.of(delivery, attempts: attempts, retry: destination.retry, circuit: circuits?()[destination.name], now: Date())
        }
        return try .encoded(.ok, DeliveryResponse(delivery, withEventID: true, attempts: attempts.map(AttemptResponse.init), nextAttempt: next))
    }
}
