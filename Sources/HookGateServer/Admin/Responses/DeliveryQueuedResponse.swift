/// `POST /v1/deliveries/{id}/replay`: the delivery is pending again.
struct DeliveryQueuedResponse: Encodable, Sendable {
    var id: String
    var status: String
}
