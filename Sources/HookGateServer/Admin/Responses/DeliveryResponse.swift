import HookGateCore
import HookGateDelivery

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
    /// One delivery only, and only while a further attempt is planned: when and why.
    var nextAttempt: NextAttemptResponse?

    enum CodingKeys: String, CodingKey {
        case id, destination, status, attempts
        case eventID = "event_id"
        case nextAttemptAt = "next_attempt_at"
        case lastStatus = "last_status"
        case nextAttempt = "next_attempt"
    }

    init(_ delivery: DeliverySummary, withEventID: Bool, attempts: Attempts, nextAttempt: NextAttempt? = nil) {
        id = delivery.id
        eventID = withEventID ? delivery.eventID : nil
        destination = delivery.destination
        status = delivery.status.rawValue
        self.attempts = attempts
        nextAttemptAt = delivery.nextAttemptAt.map { Timestamp.rfc3339($0, milliseconds: true) }
        lastStatus = delivery.lastStatus
        self.nextAttempt = nextAttempt.map(NextAttemptResponse.init)
    }
}

/// `next_attempt` of one delivery.
struct NextAttemptResponse: Encodable, Sendable {
    var at: String
    var reason: String
    var detail: String

    init(_ next: NextAttempt) {
        at = Timestamp.rfc3339(next.at, milliseconds: true)
        reason = next.reason.rawValue
        detail = next.detail
    }
}

extension DeliveryResponse where Attempts == Int {
    /// The delivery in a list, with the number of attempts made.
    init(_ delivery: DeliverySummary, withEventID: Bool) {
        self.init(delivery, withEventID: withEventID, attempts: delivery.attempts)
    }
}
