/// `POST /v1/events/{id}/redeliver`: the destinations to send to, or none for what the routes and subscriptions
/// select today.
struct RedeliverRequest: AdminRequestBody {
    static let members = ["targets"]

    /// `target:billing`, `subscription:sub_…`, or a bare target id; nil for today's fan-out.
    var targets: [String]?

    init(from decoder: any Decoder) throws {
        targets = try StrictMembers(decoder, allowed: Self.members, context: "the body").strings("targets")
    }
}
