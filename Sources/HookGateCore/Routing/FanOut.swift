import Foundation
import Synchronization

/// Where an event goes: the targets its routes select, then the active subscriptions that want it, each first attempt
/// due after the first entry of its destination's `retry.schedule` (DESIGN.md §7). Ingest, redelivery and
/// renormalization all fan out through it.
public final class FanOut: Sendable {
    private struct Subscribed: Sendable {
        let destination: String
        let types: [TypePattern]
        /// Nil matches every source.
        let sources: [String]?
    }

    private let routes: RouteTable
    /// Each target's first delay, by destination name.
    private let targetDelays: [String: Duration]
    private let subscriptionDelay: Duration
    private let subscribed = Mutex<[Subscribed]>([])

    /// The routes and targets of `configuration`, and no subscriptions until ``subscribe(_:)``.
    public init(configuration: HookGateConfiguration) {
        routes = RouteTable(routes: configuration.routes)
        targetDelays = Dictionary(configuration.targets.map { ("target:" + $0.id, $0.retry.firstDelay) }, uniquingKeysWith: { first, _ in first })
        subscriptionDelay = configuration.subscriptions.retry.firstDelay
    }

    /// The deliveries of an event of `type` from `source`.
    public func deliveries(forType type: String, source: String) -> [PlannedDelivery] {
        planned(routes.destinations(forType: type, source: source) + subscriptions(forType: type, source: source))
    }

    /// Deliveries to the named destinations (`target:{id}`, `subscription:{id}`), in that order.
    public func planned(_ names: [String]) -> [PlannedDelivery] {
        names.map { name in
            PlannedDelivery(destination: name, firstAttemptDelay: targetDelays[name] ?? (name.hasPrefix("subscription:") ? subscriptionDelay : .zero))
        }
    }

    /// The active subscriptions (`subscription:{id}`) that want an event of `type` from `source`, oldest first.
    public func subscriptions(forType type: String, source: String) -> [String] {
        subscribed.withLock { entries in
            entries.filter { entry in
                (entry.sources.map { $0.contains(source) } ?? true) && entry.types.contains { $0.matches(type) }
            }.map(\.destination)
        }
    }

    /// Matches the active ones of `subscriptions` from now on, in place of those before.
    public func subscribe(_ subscriptions: [StoredSubscription]) {
        let entries = subscriptions.filter { $0.status == .active }.map { subscription in
            Subscribed(destination: subscription.destination, types: subscription.types.compactMap(TypePattern.init), sources: subscription.sources)
        }
        subscribed.withLock { $0 = entries }
    }
}
