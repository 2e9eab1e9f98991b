import Foundation
import HookGateCore
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

/// The destinations a gateway knows: its targets (fixed by the config) and the active subscriptions, reloaded from
/// storage so that a subscription created through any instance is matched and served by all of them.
public final class DestinationDirectory: Sendable {
    private let targets: [Destination]
    private let settings: HookGateConfiguration.Subscriptions
    private let subscribed = Mutex<[Destination]>([])
    /// Which destinations an event goes to; its subscriptions are reloaded with the directory's.
    public let fanOut: FanOut

    public init(configuration: HookGateConfiguration) {
        targets = configuration.targets.map(Destination.init(target:))
        settings = configuration.subscriptions
        fanOut = FanOut(configuration: configuration)
    }

    /// Every destination to serve: targets, then active subscriptions.
    public var all: [Destination] {
        targets + subscribed.withLock { $0 }
    }

    /// Replaces the subscriptions, here and in ``fanOut``, with the stored ones that are active.
    public func reload(from store: any SubscriptionStore, now: Date = Date()) async throws {
        let stored = try await store.subscriptions()
        let destinations = stored.filter { $0.status == .active }.map { Destination(subscription: $0, settings: settings, now: now) }
        subscribed.withLock { $0 = destinations }
        fanOut.subscribe(stored)
    }

    /// The subscription settings of `routes.yaml` (`allow_private`, retry, timeout, `max_in_flight`).
    public var subscriptionSettings: HookGateConfiguration.Subscriptions { settings }
}
