import Foundation
import HookGateCore
import HookGateStorage
import Synchronization

/// Where deliveries go and how: an internal target from `routes.yaml` or a stored subscription.
public struct Destination: Sendable, Equatable {
    /// `target:{id}` or `subscription:{id}`: the `destination` of its deliveries and of its metrics.
    public var name: String
    public var url: String
    /// Signing secrets, current first; empty sends unsigned (targets without `signing_secret`).
    public var secrets: [String]
    public var timeout: Duration
    public var maxInFlight: Int
    public var retry: HookGateConfiguration.RetryPolicy
    /// Bulk replays send at most this many deliveries per second here.
    public var replayRate: Int
    /// The subscription's id, for a subscription's destination: a 410 disables it by this id.
    public var subscriptionID: String?
    /// Subscriptions are untrusted: `https` only and the SSRF guard, and 410 disables them.
    public var isSubscription: Bool { subscriptionID != nil }

    public init(target: HookGateConfiguration.Target) {
        name = "target:" + target.id
        url = target.url
        secrets = target.signingSecret.map { [$0] } ?? []
        timeout = target.timeout
        maxInFlight = target.maxInFlight
        retry = target.retry
        replayRate = target.replayRate
        subscriptionID = nil
    }

    /// A subscription's destination; the previous secret signs alongside until it expires (rotation overlap).
    public init(subscription: StoredSubscription, settings: HookGateConfiguration.Subscriptions, now: Date) {
        name = subscription.destination
        url = subscription.url
        secrets = [subscription.secret]
        if let previous = subscription.previousSecret, let expires = subscription.previousSecretExpiresAt, expires > now {
            secrets.append(previous)
        }
        timeout = settings.timeout
        maxInFlight = settings.maxInFlight
        retry = settings.retry
        replayRate = 50
        subscriptionID = subscription.id
    }
}

/// The destinations a gateway knows: its targets (fixed by the config, with the routes to them) and the active
/// subscriptions, reloaded from storage so that a subscription created through any instance is matched and served by
/// all of them.
public final class DestinationDirectory: Sendable {
    private struct Subscribed {
        let destination: Destination
        let types: [TypePattern]
        let sources: [String]?
    }

    private let targets: [Destination]
    private let routes: RouteTable
    /// Each target's first `retry.schedule` entry; every subscription shares `settings.retry`.
    private let targetDelays: [String: Duration]
    private let settings: HookGateConfiguration.Subscriptions
    private let subscribed: Mutex<[Subscribed]>

    public init(configuration: HookGateConfiguration) {
        targets = configuration.targets.map(Destination.init(target:))
        routes = RouteTable(routes: configuration.routes)
        targetDelays = Dictionary(targets.map { ($0.name, RetryPlanner(policy: $0.retry).firstDelay) }, uniquingKeysWith: { first, _ in first })
        settings = configuration.subscriptions
        subscribed = Mutex([])
    }

    /// The deliveries of an event of `type` from `source`: to the targets its routes select, then to the active
    /// subscriptions that want it.
    public func deliveries(forType type: String, source: String) -> [PlannedDelivery] {
        planned(routes.destinations(forType: type, source: source) + subscriptions(forType: type, source: source))
    }

    /// Deliveries to the named destinations, each first attempt due after the first entry of its destination's
    /// `retry.schedule` (DESIGN.md §7).
    public func planned(_ names: [String]) -> [PlannedDelivery] {
        let subscriptionDelay = RetryPlanner(policy: settings.retry).firstDelay
        return names.map { name in
            PlannedDelivery(destination: name, firstAttemptDelay: targetDelays[name] ?? (name.hasPrefix("subscription:") ? subscriptionDelay : .zero))
        }
    }

    /// Every destination to serve: targets, then active subscriptions.
    public var all: [Destination] {
        targets + subscribed.withLock { $0.map(\.destination) }
    }

    public func destination(named name: String) -> Destination? {
        all.first { $0.name == name }
    }

    /// The active subscriptions (`subscription:{id}`) that want an event of `type` from `source`.
    public func subscriptions(forType type: String, source: String) -> [String] {
        subscribed.withLock { entries in
            entries.filter { entry in
                (entry.sources.map { $0.contains(source) } ?? true) && entry.types.contains { $0.matches(type) }
            }.map(\.destination.name)
        }
    }

    /// Replaces the subscriptions with the stored ones that are active.
    public func reload(from store: any DeliveryStore, now: Date = Date()) async throws {
        let stored = try await store.subscriptions().filter { $0.status == .active }
        let entries = stored.map { subscription in
            Subscribed(
                destination: Destination(subscription: subscription, settings: settings, now: now),
                types: subscription.types.compactMap(TypePattern.init),
                sources: subscription.sources
            )
        }
        subscribed.withLock { $0 = entries }
    }

    /// The subscription settings of `routes.yaml` (`allow_private`, retry, timeout, `max_in_flight`).
    public var subscriptionSettings: HookGateConfiguration.Subscriptions { settings }
}
