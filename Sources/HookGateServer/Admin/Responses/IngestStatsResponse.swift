/// The last hour's ingest requests on this instance, non-zero counts only.
struct IngestStatsResponse: Encodable, Sendable {
    struct Count: Encodable, Sendable {
        var source: String
        /// A `hookgate_ingest_requests_total` outcome: `accepted`, `invalid_signature`, `payload_too_large`, …
        var outcome: String
        var count: Int
    }

    var since: String
    var data: [Count]
}
