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
        let destinations = directory.all.map { destination in
            DestinationResponse(
                destination,
                // A circuit is per instance; one that has not attempted the destination yet is closed.
                circuit: self.circuits == nil ? nil : circuits[destination.name] ?? "closed",
                backlog: backlog[destination.name] ?? DestinationBacklog(), lastSuccess: last[destination.name]?.success,
                lastFailure: last[destination.name]?.failure
            )
        }
        return try .encoded(.ok, ListPage(data: destinations, nextCursor: nil))
    }
}
