import CoreMetrics
import Foundation
import HookGateCore
import Synchronization

/// Delivery metrics (DESIGN.md §10), labelled by `destination` (`target:{id}` or `subscription:{id}`: from the
/// configuration and the subscription table, never from request input) and by outcome.
public final class DeliveryMetrics: Sendable {
    private struct Instruments {
        var outcomes: [String: Counter] = [:]
        var latency: CoreMetrics.Timer?
        var backlog: [String: Gauge] = [:]
        var circuit: Gauge?
    }

    private let factory: any MetricsFactory
    private let instruments = Mutex<[String: Instruments]>([:])

    public init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// One finished attempt: `outcome` is `succeeded`, `retry`, `dead` or `cancelled`.
    func attempt(destination: String, outcome: String, duration: Duration) {
        let (counter, timer) = instruments.withLock { all in
            var entry = all[destination] ?? Instruments()
            let counter =
                entry.outcomes[outcome]
                ?? Counter(
                    label: "hookgate_deliveries_total", dimensions: [("destination", destination), ("outcome", outcome)], factory: factory
                )
            entry.outcomes[outcome] = counter
            let timer =
                entry.latency
                ?? CoreMetrics.Timer(
                    label: "hookgate_delivery_attempt_duration_seconds", dimensions: [("destination", destination)], factory: factory)
            entry.latency = timer
            all[destination] = entry
            return (counter, timer)
        }
        counter.increment()
        timer.recordNanoseconds(duration.nanoseconds)
    }

    func circuit(destination: String, state: Int) {
        gauge(destination) { entry in
            let gauge = entry.circuit ?? Gauge(label: "hookgate_circuit_state", dimensions: [("destination", destination)], factory: factory)
            entry.circuit = gauge
            return gauge
        }.record(state)
    }

    /// Pending, due, in-flight and dead deliveries and the age of the oldest pending one, per known destination.
    /// The instruments of destinations no longer known (deleted or disabled subscriptions) are destroyed, so that
    /// subscription churn cannot grow the metrics without bound.
    func backlog(_ backlog: [String: DestinationBacklog], destinations: Set<String>, now: Date) {
        let forgotten = instruments.withLock { all -> [Instruments] in
            let gone = all.keys.filter { !destinations.contains($0) }
            return gone.compactMap { all.removeValue(forKey: $0) }
        }
        for entry in forgotten {
            entry.outcomes.values.forEach { $0.destroy() }
            entry.latency?.destroy()
            entry.backlog.values.forEach { $0.destroy() }
            entry.circuit?.destroy()
        }
        for destination in destinations {
            let entry = backlog[destination] ?? DestinationBacklog()
            let values: [(String, Double)] = [
                ("pending", Double(entry.pending)), ("due", Double(entry.due)), ("in_flight", Double(entry.inFlight)),
                ("dead", Double(entry.dead)), ("oldest_pending_age_seconds", entry.oldestPending.map { max(0, now.timeIntervalSince($0)) } ?? 0),
            ]
            for (state, value) in values {
                gauge(destination) { instruments in
                    let gauge =
                        instruments.backlog[state]
                        ?? Gauge(
                            label: state == "oldest_pending_age_seconds"
                                ? "hookgate_delivery_oldest_pending_age_seconds" : "hookgate_delivery_backlog",
                            dimensions: state == "oldest_pending_age_seconds"
                                ? [("destination", destination)] : [("destination", destination), ("state", state)],
                            factory: factory
                        )
                    instruments.backlog[state] = gauge
                    return gauge
                }.record(value)
            }
        }
    }

    private func gauge(_ destination: String, _ make: (inout Instruments) -> Gauge) -> Gauge {
        instruments.withLock { all in
            var entry = all[destination] ?? Instruments()
            let gauge = make(&entry)
            all[destination] = entry
            return gauge
        }
    }
}
