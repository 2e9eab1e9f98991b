import Foundation

/// Filters for listing deliveries, newest first.
public struct DeliveryQuery: Sendable {
    public var status: DeliveryStatus?
    public var destination: String?
    public var eventID: String?
    public var since: Date?
    public var until: Date?
    public var limit: Int
    /// The id of the last delivery of the previous page.
    public var after: String?

    public init(
        status: DeliveryStatus? = nil, destination: String? = nil, eventID: String? = nil, since: Date? = nil, until: Date? = nil, limit: Int = 50,
        after: String? = nil
    ) {
        self.status = status
        self.destination = destination
        self.eventID = eventID
        self.since = since
        self.until = until
        self.limit = limit
        self.after = after
    }
}
