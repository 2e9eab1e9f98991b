import Foundation
import HookGateCore
import HookGateStorage
import Hummingbird
import NIOCore
import NIOFoundationCompat

/// Read endpoints for events and receipts (DESIGN.md §8).
struct EventsController {
    let store: any EventStore
    /// The configured source ids, where a search looks for a provider event id.
    let sourceIDs: [String]

    func register(on group: RouterGroup<AdminRequestContext>) {
        group.get("events", use: listEvents)
        group.get("events/:id", use: showEvent)
        group.get("events/:id/receipt", use: showReceipt)
        group.get("receipts", use: listReceipts)
        group.get("receipts/:id", use: showReceiptByID)
    }

    @Sendable func listEvents(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let parameters = try ListParameters(request)
        var type: TypePattern?
        if let text = parameters.string("type") {
            guard let pattern = TypePattern(text) else { throw AdminError.badRequest("type must be an event type, a prefix ending in .*, or *") }
            type = pattern
        }
        let page = try await store.events(
            EventQuery(
                source: parameters.string("source"), type: type, since: try parameters.time("since"), until: try parameters.time("until"),
                limit: parameters.limit, after: parameters.cursor,
                search: parameters.string("search").map { EventQuery.Search($0, sources: parameters.string("source").map { [$0] } ?? sourceIDs) }
            ))
        return .page(page.items, nextCursor: page.nextCursor) { writer, event in writer.raw(event.payload.readableBytesView) }
    }

    @Sendable func showEvent(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let event = try await store.event(id: id) else { throw AdminError.notFound("no event \(id)") }
        let deliveries = try await store.deliveries(eventID: id)
        // The stored CloudEvent is an object HookGate wrote; its members stay at the top level, deliveries join them.
        var body = Array(event.payload.readableBytesView.dropLast())
        body.append(contentsOf: Array(#","deliveries":"#.utf8))
        body.append(contentsOf: try AdminJSON.encode(deliveries.map { DeliveryResponse($0, withEventID: false) }))
        body.append(UInt8(ascii: "}"))
        return .json(.ok, body)
    }

    @Sendable func showReceipt(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let receipt = try await store.receipt(eventID: id) else { throw AdminError.notFound("no event \(id)") }
        return try Self.withBody(receipt)
    }

    @Sendable func showReceiptByID(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let receipt = try await store.receipt(id: id) else { throw AdminError.notFound("no receipt \(id)") }
        return try Self.withBody(receipt)
    }

    private static func withBody(_ receipt: StoredReceipt) throws -> Response {
        try .encoded(.ok, try ReceiptResponse(receipt, withBody: true))
    }

    @Sendable func listReceipts(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let parameters = try ListParameters(request)
        var status: Normalization.Status?
        if let text = parameters.string("status") {
            guard let value = Normalization.Status(rawValue: text) else {
                throw AdminError.badRequest("status must be one of: " + Normalization.Status.allCases.map(\.rawValue).joined(separator: ", "))
            }
            status = value
        }
        let page = try await store.receipts(
            ReceiptQuery(status: status, source: parameters.string("source"), limit: parameters.limit, after: parameters.cursor, includeBodies: false)
        )
        return try .encoded(.ok, ListPage(data: try page.items.map { try ReceiptResponse($0, withBody: false) }, nextCursor: page.nextCursor))
    }
}
