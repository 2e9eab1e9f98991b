import Foundation
import HookGateCore
import HookGateDelivery
import HookGateStorage
import Hummingbird

/// Bulk replay by filter (DESIGN.md §8): a dry run that only counts, a paced replay that reports progress, and its
/// cancellation.
struct ReplaysController {
    let store: any EventStore
    let directory: DestinationDirectory
    let sourceIDs: Set<String>
    let notice: WorkNotice

    func register(on group: RouterGroup<AdminRequestContext>) {
        group.post("replays", use: create)
        group.get("replays/:id", use: show)
        group.delete("replays/:id", use: cancel)
    }

    /// `in_flight` is missing on purpose: an attempt under way is never sent a second time beside itself.
    private static let replayableStatuses: [DeliveryStatus] = [.cancelled, .dead, .pending, .succeeded]

    @Sendable func create(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let body = try await ReplayRequest.read(request)
        guard let filterBody = body.filter, !filterBody.isEmpty else {
            throw AdminError.badRequest(
                "filter must name at least one of \"status\", \"destination\", \"type\", \"source\", \"since\", \"until\" (an empty filter would replay everything)"
            )
        }
        let filter = try parse(filterBody)
        let description = describe(filterBody)
        if body.dryRun {
            let matched = try await store.countReplay(filter)
            return try .encoded(.ok, ReplayCountsResponse(id: nil, matched: matched, queued: 0, dryRun: true))
        }
        let now = Date()
        let id = Identifier.make(prefix: "rpl_", now: now)
        let actor = context.principal?.name ?? "unknown"
        let counts = try await store.createReplay(id: id, filter: filter, description: description, actor: actor, now: now) { matched in
            Audit.entry(context, action: "replay.create", target: id, detail: [("filter", description), ("matched", String(matched))])
        }
        await notice.send()
        return try .encoded(
            .accepted, ReplayCountsResponse(id: id, matched: counts.matched, queued: counts.queued, dryRun: false),
            headers: [.location: "/v1/replays/\(id)"])
    }

    @Sendable func show(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let progress = try await store.replayProgress(id: id) else { throw AdminError.notFound("no replay \(id)") }
        return try .encoded(.ok, try ReplayResponse(progress))
    }

    /// Puts back what the replay has not sent yet; attempts under way finish. Cancelling twice is harmless.
    @Sendable func cancel(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let cancelled = try await store.cancelReplay(id: id, now: Date()) { cancelled in
            Audit.entry(context, action: "replay.cancel", target: id, detail: [("cancelled", String(cancelled))])
        }
        guard cancelled != nil else { throw AdminError.notFound("no replay \(id)") }
        return Response(status: .noContent)
    }

    private func parse(_ body: ReplayRequest.Filter) throws -> ReplayFilter {
        let status = try body.status.map { text in
            guard let status = DeliveryStatus(rawValue: text), Self.replayableStatuses.contains(status) else {
                throw AdminError.badRequest("filter.status must be one of \(Self.replayableStatuses.map(\.rawValue).joined(separator: ", "))")
            }
            return status
        }
        let known = directory.all.map(\.name)
        var destinations = known
        if let destination = body.destination {
            guard known.contains(destination) else {
                throw AdminError.badRequest(
                    "filter.destination \"\(destination)\" is not a configured target (target:<id>) or an active subscription (subscription:<id>)"
                )
            }
            destinations = [destination]
        }
        var type: TypePattern?
        if let text = body.type {
            guard let pattern = TypePattern(text) else {
                throw AdminError.badRequest("filter.type must be an event type, a prefix ending in .*, or *")
            }
            type = pattern
        }
        let source = body.source
        if let source, !sourceIDs.contains(source) {
            throw AdminError.badRequest("filter.source \"\(source)\" is not a configured source")
        }
        let now = Date()
        return ReplayFilter(
            status: status, destinations: destinations, type: type, source: source,
            since: try body.since.map { try ListParameters.time($0, name: "filter.since", now: now) },
            until: try body.until.map { try ListParameters.time($0, name: "filter.until", now: now) }
        )
    }

    /// The filter as the operator gave it, for the replay's record and the audit log.
    private func describe(_ body: ReplayRequest.Filter) -> String {
        var writer = JSONWriter(capacity: 128)
        writer.object { writer in
            for (name, value) in body.given.sorted(by: { $0.name < $1.name }) { writer.field(name, value) }
        }
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
