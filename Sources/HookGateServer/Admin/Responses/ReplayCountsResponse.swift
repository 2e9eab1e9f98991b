/// `POST /v1/replays`: how many deliveries the filter matched and how many were queued; no id on a dry run.
struct ReplayCountsResponse: Encodable, Sendable {
    var id: String?
    var matched: Int
    var queued: Int
    var dryRun: Bool

    enum CodingKeys: String, CodingKey {
        case id, matched, queued
        case dryRun = "dry_run"
    }
}
