/// `PATCH /v1/subscriptions/{id}`: `"status": "active"` re-enables a disabled subscription.
struct SubscriptionUpdateRequest: AdminRequestBody {
    static let members = SubscriptionCreateRequest.members + ["status"]
    var change: SubscriptionChange

    init(from decoder: any Decoder) throws {
        change = try SubscriptionChange(decoder, allowed: Self.members)
    }
}
