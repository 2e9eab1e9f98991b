import Foundation
import HookGateCore
import HookGateStorage
import Hummingbird

/// Deliveries and their attempts (DESIGN.md §8).
struct DeliveriesController {
    let store: any EventStore
    let notice: WorkNotice

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
        let page = try await store.deliveries(DeliveryQuery(
            status: status, destination: parameters.string("destination"), eventID: parameters.string("event_id"),
            since: try parameters.time("since"), until: try parameters.time("until"), limit: parameters.limit, after: parameters.cursor
        ))
        return .page(page.items, nextCursor: page.nextCursor) { writer, delivery in
            writer.object { writer in delivery.writeMembers(to: &writer, eventID: true, attemptCount: true) }
        }
    }

    /// Queues the delivery again now: same delivery and `webhook-id`, a new attempt series, history kept.
    @Sendable func replay(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        switch try await store.replayDelivery(id: id, now: Date(), audit: Audit.entry(context, action: "delivery.replay", target: id)) {
        case .notFound:
            throw AdminError.notFound("no delivery \(id)")
        case .inFlight:
            throw AdminError(status: .conflict, code: "conflict", detail: "delivery \(id) is being attempted right now; replay it once the attempt ends")
        case .queued:
            await notice.send()
            var writer = JSONWriter(capacity: 64)
            writer.object { writer in
                writer.field("id", id)
                writer.field("status", "pending")
            }
            return .json(.accepted, writer.bytes)
        }
    }

    /// One delivery with every attempt: when it started, how long it took, the status or error, the response's start.
    @Sendable func show(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let (delivery, attempts) = try await store.delivery(id: id) else { throw AdminError.notFound("no delivery \(id)") }
        var writer = JSONWriter(capacity: 512)
        writer.object { writer in
            delivery.writeMembers(to: &writer, eventID: true, attemptCount: false)
            writer.key("attempts")
            writer.array { writer in
                for attempt in attempts {
                    writer.object { writer in
                        writer.field("number", attempt.number)
                        writer.field("started_at", Timestamp.rfc3339(attempt.startedAt, milliseconds: true))
                        writer.field("duration_ms", attempt.durationMilliseconds)
                        writer.field("status_code", attempt.statusCode)
                        writer.field("error", attempt.error)
                        writer.field("response_snippet", attempt.responseSnippet)
                    }
                }
            }
        }
        return .json(.ok, writer.bytes)
    }
}
