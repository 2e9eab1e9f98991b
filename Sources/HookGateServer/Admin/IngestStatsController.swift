import Foundation
import HookGateCore
import Hummingbird

/// `GET /v1/stats/ingest`: this instance's ingest requests of the last hour by source and outcome, rejections
/// included (the console's overview).
struct IngestStatsController {
    let window: IngestWindow

    func register(on group: RouterGroup<AdminRequestContext>) {
        group.get("stats/ingest") { _, _ -> Response in
            let now = Date()
            let counts = window.lastHour(at: now).map { IngestStatsResponse.Count(source: $0.source, outcome: $0.outcome.rawValue, count: $0.count) }
            return try .encoded(.ok, IngestStatsResponse(since: Timestamp.rfc3339(now.addingTimeInterval(-3600), milliseconds: true), data: counts))
        }
    }
}
