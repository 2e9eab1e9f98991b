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
    let notice: WorkNotice

    func register(on group: RouterGroup<AdminRequestContext>) {
        group.post("subscriptions", use: create)
        group.get("subscriptions", use: list)
        group.get("subscriptions/:id", use: show)
        group.patch("subscriptions/:id", use: update)
        group.delete("subscriptions/:id", use: delete)
        group.post("subscriptions/:id/test", use: test)
        group.post("subscriptions/:id/rotate-secret", use: rotate)
    }

    /// How long a rotated-out secret keeps signing alongside the new one (DESIGN.md §8).
    static let rotationOverlap: TimeInterval = 24 * 3_600

    @Sendable func show(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let subscription = try await store.subscriptions().first(where: { $0.id == id }) else {
            throw AdminError.notFound("no subscription \(id)")
        }
        return try .encoded(.ok, SubscriptionResponse(subscription, includeSecret: false))
    }

    /// Deletes the subscription; what was still to be sent to it is cancelled.
    @Sendable func delete(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard try await store.deleteSubscription(id: id, now: Date(), audit: Audit.entry(context, action: "subscription.delete", target: id)) else {
            throw AdminError.notFound("no subscription \(id)")
        }
        try await directory.reload(from: store)
        return Response(status: .noContent)
    }

    /// A new secret; the old one keeps signing alongside for 24 h, so the consumer can switch without a gap.
    @Sendable func rotate(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let now = Date()
        let secret = WebhookSignature.generateSecret()
        let overlapUntil = now.addingTimeInterval(Self.rotationOverlap)
        let audit = Audit.entry(context, action: "subscription.rotate_secret", target: id)
        guard try await store.rotateSubscriptionSecret(id: id, secret: secret, overlapUntil: overlapUntil, now: now, audit: audit) else {
            throw AdminError.notFound("no subscription \(id)")
        }
        try await directory.reload(from: store)
        return try .encoded(
            .ok, SecretRotationResponse(id: id, secret: secret, previousSecretExpiresAt: Timestamp.rfc3339(overlapUntil, milliseconds: true)))
    }

    @Sendable func create(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let body = try await SubscriptionCreateRequest.read(request).change
        guard let url = body.url, let types = body.types else {
            throw AdminError.badRequest("the body must be a JSON object with \"url\" and \"types\" (and optionally \"sources\", \"description\")")
        }
        let now = Date()
        let subscription = StoredSubscription(
            id: Identifier.make(prefix: "sub_", now: now), url: try validate(url: url), types: try validate(types: types),
            sources: try validate(sources: body.sources ?? nil), description: body.description ?? nil,
            secret: WebhookSignature.generateSecret(), createdAt: now, updatedAt: now
        )
        try await store.createSubscription(
            subscription, audit: Audit.entry(context, action: "subscription.create", target: subscription.id, detail: [("url", subscription.url)])
        )
        try await directory.reload(from: store)
        return try .encoded(.created, SubscriptionResponse(subscription, includeSecret: true))
    }

    /// Changes the members given; `"status": "active"` re-enables a subscription that was disabled (after a 410, say),
    /// and what was still pending for it is sent then.
    @Sendable func update(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let body = try await SubscriptionUpdateRequest.read(request).change
        guard !body.given.isEmpty else {
            throw AdminError.badRequest("the body must name at least one of \"url\", \"types\", \"sources\", \"description\", \"status\"")
        }
        guard var subscription = try await store.subscriptions().first(where: { $0.id == id }) else {
            throw AdminError.notFound("no subscription \(id)")
        }
        if let url = body.url { subscription.url = try validate(url: url) }
        if let types = body.types { subscription.types = try validate(types: types) }
        // An explicit null clears the sources (every source matches) and the description.
        if let sources = body.sources { subscription.sources = try validate(sources: sources) }
        if let description = body.description { subscription.description = description }
        if let text = body.status, text != subscription.status.rawValue {
            guard let status = SubscriptionStatus(rawValue: text) else { throw AdminError.badRequest("status must be active or disabled") }
            subscription.status = status
            subscription.disabledReason = status == .disabled ? "disabled through the admin API by \(context.principal?.name ?? "unknown")" : nil
        }
        subscription.updatedAt = Date()
        let audit = Audit.entry(context, action: "subscription.update", target: id, detail: [("members", body.given.joined(separator: " "))])
        guard try await store.updateSubscription(subscription, audit: audit) else { throw AdminError.notFound("no subscription \(id)") }
        try await directory.reload(from: store)
        await notice.send()
        return try .encoded(.ok, SubscriptionResponse(subscription, includeSecret: false))
    }

    /// Queues a `hookgate.test` event for the subscription alone, through the normal delivery path: signed, recorded
    /// and retried like any other, and visible in the deliveries list.
    @Sendable func test(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let subscription = try await store.subscriptions().first(where: { $0.id == id }) else {
            throw AdminError.notFound("no subscription \(id)")
        }
        guard subscription.status == .active else {
            throw AdminError(
                status: .conflict, code: "conflict", detail: "subscription \(id) is disabled; re-enable it with PATCH {\"status\":\"active\"} first")
        }
        let record = TestEvent.record(subscriptionID: id, actor: context.principal?.name ?? "unknown", now: Date())
        _ = try await store.ingest([record])
        try await store.appendAudit(Audit.entry(context, action: "subscription.test", target: id, detail: [("event_id", record.events[0].id)]))
        await notice.send()
        let deliveries = try await store.deliveries(eventID: record.events[0].id)
        return try .encoded(.accepted, TestSendResponse(eventID: record.events[0].id, deliveryID: deliveries.first?.id))
    }

    @Sendable func list(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let subscriptions = try await store.subscriptions()
        return try .encoded(.ok, ListPage(data: subscriptions.map { SubscriptionResponse($0, includeSecret: false) }, nextCursor: nil))
    }

    /// `https` with a host; `http` only where `subscriptions.allow_private` is on (development). Where the name
    /// resolves is checked at send time, on every attempt.
    private func validate(url: String) throws -> String {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(), components.host?.isEmpty == false else {
            throw AdminError.badRequest("url must be an absolute https URL")
        }
        let allowPrivate = directory.subscriptionSettings.allowPrivate
        guard scheme == "https" || (scheme == "http" && allowPrivate) else {
            throw AdminError.badRequest(
                allowPrivate ? "url must be http or https" : "url must be https (subscriptions.allow_private allows http for development)")
        }
        return url
    }

    private func validate(types: [String]) throws -> [String] {
        guard !types.isEmpty else { throw AdminError.badRequest("types must list at least one event type or pattern") }
        for type in types where TypePattern(type) == nil {
            throw AdminError.badRequest("types: \"\(type)\" is not an event type, a prefix ending in .*, or *")
        }
        return types
    }

    private func validate(sources: [String]?) throws -> [String]? {
        for source in sources ?? [] where !sourceIDs.contains(source) {
            throw AdminError.badRequest("sources: \"\(source)\" is not a configured source")
        }
        return sources
    }
}
