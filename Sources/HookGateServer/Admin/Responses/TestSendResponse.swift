/// `POST /v1/subscriptions/{id}/test`: the `hookgate.test` event queued and its delivery.
struct TestSendResponse: Encodable, Sendable {
    var eventID: String
    @ExplicitNull var deliveryID: String?

    enum CodingKeys: String, CodingKey {
        case eventID = "event_id"
        case deliveryID = "delivery_id"
    }
}
