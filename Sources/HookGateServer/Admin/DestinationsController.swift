import Foundation
import HookGateCore
import HookGateDelivery
import HookGateStorage
import Hummingbird

/// `GET /v1/destinations`: every target and subscription with its health (DESIGN.md §8).
struct DestinationsController {
    let store: any EventStore
    let directory: DestinationDirectory
    /// This instance's circuit states; nil on an instance that does not deliver.
    let circuits: (@Sendable () -> [String: String])?

    func register(on group: RouterGroup<AdminRequestContext>) {
        group.get("destinations", use: list)
    }

    @Sendable func list(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let backlog = try await store.backlog(now: Date())
        let last = try await store.lastAttempts()
        let circuits = self.circuits?() ?? [:]
        return .page(directory.all, nextCursor: nil) { writer, destination in
            let counts = backlog[destination.name] ?? DestinationBacklog()
            writer.object { writer in
                writer.field("name", destination.name)
                writer.field("kind", destination.isSubscription ? "subscription" : "target")
                writer.field("url", destination.url)
                writer.field("max_in_flight", destination.maxInFlight)
                writer.field("timeout_seconds", destination.timeout.components.seconds)
                // A circuit is per instance; one that has not attempted the destination yet is closed.
                writer.field("circuit", self.circuits == nil ? nil : circuits[destination.name] ?? "closed")
                writer.field("pending", counts.pending)
                writer.field("due", counts.due)
                writer.field("in_flight", counts.inFlight)
                writer.field("dead", counts.dead)
                writer.field("last_success_at", last[destination.name]?.success.map { Timestamp.rfc3339($0, milliseconds: true) })
                writer.field("last_failure_at", last[destination.name]?.failure.map { Timestamp.rfc3339($0, milliseconds: true) })
            }
        }
    }
}
