import Foundation

/// Which deliveries a bulk replay takes (DESIGN.md §8 `POST /v1/replays`).
public struct ReplayFilter: Sendable, Equatable {
    /// The delivery status to match; nil matches every status but `in_flight`.
    public var status: DeliveryStatus?
    /// The destinations to consider: the one the operator named, or every destination this gateway knows (a
    /// removed target's deliveries would be queued with nobody to send them).
    public var destinations: [String]
    public var type: TypePattern?
    public var source: String?
    /// A creation-time window of the deliveries.
    public var since: Date?
    public var until: Date?

    public init(
        status: DeliveryStatus? = nil, destinations: [String], type: TypePattern? = nil, source: String? = nil, since: Date? = nil, until: Date? = nil
    ) {
        self.status = status
        self.destinations = destinations
        self.type = type
        self.source = source
        self.since = since
        self.until = until
    }
}
