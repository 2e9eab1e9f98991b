import HookGateCore

/// A delivery as the admin API shows it: in lists `attempts` is how many were made (`Int`), for one delivery it is
/// each attempt (`[AttemptResponse]`).
struct DeliveryResponse<Attempts: Encodable & Sendable>: Encodable, Sendable {
    var id: String
    /// Left out where the delivery is listed under its event.
    var eventID: String?
    var destination: String
    var status: String
    var attempts: Attempts
    @ExplicitNull var nextAttemptAt: String?
    @ExplicitNull var lastStatus: Int?

    enum CodingKeys: String, CodingKey {
        case id, destination, status, attempts
        case eventID = "event_id"
        case nextAttemptAt = "next_attempt_at"
        case lastStatus = "last_status"
    }

    init(_ delivery: DeliverySummary, withEventID: Bool, attempts: Attempts) {
        id = delivery.id
        eventID = withEventID ? delivery.eventID : nil
        destination = delivery.destination
        status = delivery.status.rawValue
        self.attempts = attempts
        nextAttemptAt = delivery.nextAttemptAt.map { Timestamp.rfc3339($0, milliseconds: true) }
        lastStatus = delivery.lastStatus
    }
}

extension DeliveryResponse where Attempts == Int {
    /// The delivery in a list, with the number of attempts made.
    init(_ delivery: DeliverySummary, withEventID: Bool) {
        self.init(delivery, withEventID: withEventID, attempts: delivery.attempts)
    }
}
