/// What redelivering an event did for one destination.
public struct Redelivery: Sendable, Equatable {
    public enum Result: String, Sendable {
        /// The existing delivery was queued again as a new attempt series.
        case queued
        /// The destination had no delivery of the event (a route or subscription added since): one was made.
        case created
        /// An attempt is under way; it was left alone rather than sent twice at once.
        case inFlight = "in_flight"
    }

    public var destination: String
    public var deliveryID: String
    public var result: Result

    public init(destination: String, deliveryID: String, result: Result) {
        self.destination = destination
        self.deliveryID = deliveryID
        self.result = result
    }
}
