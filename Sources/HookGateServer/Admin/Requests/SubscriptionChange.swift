/// The members of a subscription an admin request gives. On a PATCH only the members given change; an explicit null
/// clears `sources` (every source matches) and `description`.
struct SubscriptionChange {
    var url: String?
    var types: [String]?
    /// `.some(nil)` when given as null.
    var sources: [String]??
    var description: String??
    var status: String?
    /// The members given, sorted, for the audit log.
    var given: [String]

    init(_ decoder: any Decoder, allowed: [String]) throws {
        let body = try StrictMembers(decoder, allowed: allowed, context: "the body")
        url = try body.string("url")
        types = try body.strings("types")
        sources = body.has("sources") ? .some(try body.strings("sources")) : nil
        description = body.has("description") ? .some(try body.string("description")) : nil
        status = try body.string("status")
        given = body.names
    }
}
