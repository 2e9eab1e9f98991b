import Foundation
import HookGateCore
import HookGateDelivery

/// One destination in `GET /v1/destinations`: where it is, its limits, this instance's circuit, its backlog and
/// when it last answered.
struct DestinationResponse: Encodable, Sendable {
    var name: String
    /// `target` or `subscription`.
    var kind: String
    var url: String
    var maxInFlight: Int
    var timeoutSeconds: Int64
    /// Null on an instance that does not deliver.
    @ExplicitNull var circuit: String?
    var pending: Int
    var due: Int
    var inFlight: Int
    var dead: Int
    @ExplicitNull var lastSuccessAt: String?
    @ExplicitNull var lastFailureAt: String?

    enum CodingKeys: String, CodingKey {
        case name, kind, url, circuit, pending, due, dead
        case maxInFlight = "max_in_flight"
        case timeoutSeconds = "timeout_seconds"
        case inFlight = "in_flight"
        case lastSuccessAt = "last_success_at"
        case lastFailureAt = "last_failure_at"
    }

    init(_ destination: Destination, circuit: String?, backlog: DestinationBacklog, lastSuccess: Date?, lastFailure: Date?) {
        name = destination.name
        kind = destination.isSubscription ? "subscription" : "target"
        url = destination.url
        maxInFlight = destination.maxInFlight
        timeoutSeconds = destination.timeout.components.seconds
        self.circuit = circuit
        pending = backlog.pending
        due = backlog.due
        inFlight = backlog.inFlight
        dead = backlog.dead
        lastSuccessAt = lastSuccess.map { Timestamp.rfc3339($0, milliseconds: true) }
        lastFailureAt = lastFailure.map { Timestamp.rfc3339($0, milliseconds: true) }
    }
}
