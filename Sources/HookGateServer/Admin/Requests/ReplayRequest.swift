/// `POST /v1/replays`: which deliveries to queue again, or only count with `dry_run`.
struct ReplayRequest: AdminRequestBody {
    static let members = ["filter", "dry_run"]

    /// The filter's members as given: each one narrows the replay.
    struct Filter {
        static let members = ["status", "destination", "type", "source", "since", "until"]

        var status: String?
        var destination: String?
        var type: String?
        var source: String?
        var since: String?
        var until: String?

        var isEmpty: Bool { [status, destination, type, source, since, until].allSatisfy { $0 == nil } }

        /// The members given, as the operator wrote them, for the replay's record and the audit log.
        var given: [(name: String, value: String)] {
            zip(Self.members, [status, destination, type, source, since, until]).compactMap { name, value in value.map { (name, $0) } }
        }

        init(_ members: StrictMembers) throws {
            status = try members.string("status")
            destination = try members.string("destination")
            type = try members.string("type")
            source = try members.string("source")
            since = try members.string("since")
            until = try members.string("until")
        }
    }

    var filter: Filter?
    var dryRun: Bool

    init(from decoder: any Decoder) throws {
        let body = try StrictMembers(decoder, allowed: Self.members, context: "the body")
        filter = try body.object("filter", allowed: Filter.members).map(Filter.init)
        dryRun = try body.bool("dry_run") ?? false
    }
}
