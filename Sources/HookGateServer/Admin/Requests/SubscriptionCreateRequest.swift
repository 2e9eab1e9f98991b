/// `POST /v1/subscriptions`.
struct SubscriptionCreateRequest: AdminRequestBody {
    static let members = ["url", "types", "sources", "description"]
    var change: SubscriptionChange

    init(from decoder: any Decoder) throws {
        change = try SubscriptionChange(decoder, allowed: Self.members)
    }
}
