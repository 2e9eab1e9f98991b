/// `POST /v1/events/{id}/redeliver`: per destination, the delivery queued again or created.
struct RedeliveryResponse: Encodable, Sendable {
    struct Delivery: Encodable, Sendable {
        var id: String
        var destination: String
        /// `queued`, `created` or `in_flight` (left alone).
        var result: String
    }

    var eventID: String
    var deliveries: [Delivery]

    enum CodingKeys: String, CodingKey {
        case eventID = "event_id"
        case deliveries
    }
}
