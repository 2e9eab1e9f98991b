import Foundation
import HookGateCore
import HookGateDelivery
import HookGateStorage
import Hummingbird
import NIOCore
import NIOFoundationCompat

/// Self-service subscriptions (DESIGN.md §8): internal service owners subscribe an endpoint to event types.
struct SubscriptionsController {
    let store: any EventStore
    let directory: DestinationDirectory
    let sourceIDs: Set<String>

    func register(on group: RouterGroup<AdminRequestContext>) {
        group.post("subscriptions", use: create)
        group.get("subscriptions", use: list)
        group.get("subscriptions/:id", use: show)
        group.delete("subscriptions/:id", use: delete)
        group.post("subscriptions/:id/rotate-secret", use: rotate)
    }

    /// How long a rotated-out secret keeps signing alongside the new one (DESIGN.md §8).
    static let rotationOverlap: TimeInterval = 24 * 3_600

    @Sendable func show(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let subscription = try await store.subscriptions().first(where: { $0.id == id }) else {
            throw AdminError.notFound("no subscription \(id)")
        }
        return .json(.ok, Self.json(subscription, includeSecret: false))
    }

    /// Deletes the subscription; what was still to be sent to it is cancelled.
    @Sendable func delete(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard try await store.deleteSubscription(id: id, now: Date()) else { throw AdminError.notFound("no subscription \(id)") }
        try await Audit(store: store).record(context, action: "subscription.delete", target: id)
        try await directory.reload(from: store)
        return Response(status: .noContent)
    }

    /// A new secret; the old one keeps signing alongside for 24 h, so the consumer can switch without a gap.
    @Sendable func rotate(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let now = Date()
        let secret = WebhookSignature.generateSecret()
        let overlapUntil = now.addingTimeInterval(Self.rotationOverlap)
        guard try await store.rotateSubscriptionSecret(id: id, secret: secret, overlapUntil: overlapUntil, now: now) else {
            throw AdminError.notFound("no subscription \(id)")
        }
        try await Audit(store: store).record(context, action: "subscription.rotate_secret", target: id)
        try await directory.reload(from: store)
        var writer = JSONWriter(capacity: 128)
        writer.object { writer in
            writer.field("id", id)
            writer.field("secret", secret)
            writer.field("previous_secret_expires_at", Timestamp.rfc3339(overlapUntil, milliseconds: true))
        }
        return .json(.ok, writer.bytes)
    }

    private struct CreateBody: Decodable {
        let url: String
        let types: [String]
        let sources: [String]?
        let description: String?
    }

    @Sendable func create(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let body: CreateBody
        do {
            body = try JSONDecoder().decode(CreateBody.self, from: try await request.body.collect(upTo: 64 * 1024))
        } catch {
            throw AdminError.badRequest("the body must be a JSON object with \"url\" and \"types\" (and optionally \"sources\", \"description\")")
        }
        try validate(url: body.url)
        guard !body.types.isEmpty else { throw AdminError.badRequest("types must list at least one event type or pattern") }
        for type in body.types where TypePattern(type) == nil {
            throw AdminError.badRequest("types: \"\(type)\" is not an event type, a prefix ending in .*, or *")
        }
        for source in body.sources ?? [] where !sourceIDs.contains(source) {
            throw AdminError.badRequest("sources: \"\(source)\" is not a configured source")
        }
        let now = Date()
        let subscription = StoredSubscription(
            id: Identifier.make(prefix: "sub_", now: now), url: body.url, types: body.types, sources: body.sources,
            description: body.description, secret: WebhookSignature.generateSecret(), createdAt: now, updatedAt: now
        )
        try await store.createSubscription(subscription)
        try await Audit(store: store).record(context, action: "subscription.create", target: subscription.id, detail: [("url", subscription.url)])
        try await directory.reload(from: store)
        return .json(.created, Self.json(subscription, includeSecret: true))
    }

    @Sendable func list(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let subscriptions = try await store.subscriptions()
        return .page(subscriptions, nextCursor: nil) { writer, subscription in writer.raw(Self.json(subscription, includeSecret: false)) }
    }

    /// `https` with a host; `http` only where `subscriptions.allow_private` is on (development). Where the name
    /// resolves is checked at send time, on every attempt.
    private func validate(url: String) throws {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(), components.host?.isEmpty == false else {
            throw AdminError.badRequest("url must be an absolute https URL")
        }
        let allowPrivate = directory.subscriptionSettings.allowPrivate
        guard scheme == "https" || (scheme == "http" && allowPrivate) else {
            throw AdminError.badRequest(allowPrivate ? "url must be http or https" : "url must be https (subscriptions.allow_private allows http for development)")
        }
    }

    static func json(_ subscription: StoredSubscription, includeSecret: Bool) -> [UInt8] {
        var writer = JSONWriter(capacity: 256)
        writer.object { writer in
            writer.field("id", subscription.id)
            writer.field("url", subscription.url)
            writer.key("types")
            writer.array { writer in subscription.types.forEach { writer.string($0) } }
            writer.key("sources")
            if let sources = subscription.sources { writer.array { writer in sources.forEach { writer.string($0) } } } else { writer.null() }
            writer.field("description", subscription.description)
            writer.field("status", subscription.status)
            writer.field("disabled_reason", subscription.disabledReason)
            if includeSecret { writer.field("secret", subscription.secret) }
            writer.field("created_at", Timestamp.rfc3339(subscription.createdAt, milliseconds: true))
            writer.field("updated_at", Timestamp.rfc3339(subscription.updatedAt, milliseconds: true))
        }
        return writer.bytes
    }
}
