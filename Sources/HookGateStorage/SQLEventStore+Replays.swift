import Foundation
import HookGateCore

/// Bulk replays (DESIGN.md §8): the deliveries a filter matches are queued again, tagged with the replay so the
/// workers pace them and the replay can report progress or be cancelled.
extension SQLEventStore {
    func countReplay(_ filter: ReplayFilter) async throws -> Int {
        try await database.query("SELECT count(*) AS matched FROM deliveries d WHERE \(Self.match(filter))").first?.int("matched") ?? 0
    }

    /// Records the replay (and its audit entry) in one transaction, then queues what it matched in chunks of
    /// ``ReplayFilter/chunk``, each its own transaction: on SQLite one statement over a million rows would hold the only
    /// writer for seconds and ingest would answer 503 meanwhile. Only deliveries that matched when the replay was
    /// recorded are queued (the chunks go up to the highest id matched then). A crash between chunks leaves the replay
    /// with fewer queued than matched, which its progress shows; replaying the same filter again queues the rest.
    func createReplay(
        id: String, filter: ReplayFilter, description: String, actor: String, now: Date,
        audit: @escaping @Sendable (_ matched: Int) -> AuditEntry
    ) async throws -> ReplayCounts {
        let match = Self.match(filter)
        let (matched, last) = try await database.transaction { transaction -> (Int, String?) in
            let row = try await transaction.query("SELECT count(*) AS matched, max(d.id) AS last FROM deliveries d WHERE \(match)").first
            let matched = try row?.int("matched") ?? 0
            _ = try await transaction.query(
                "INSERT INTO replays (id, filter, actor, created_at, matched) VALUES (\(id), \(description), \(actor), \(now), \(matched))"
            )
            _ = try await transaction.query(Self.recording(audit(matched)))
            return (matched, try row?.optionalText("last"))
        }
        var queued = 0
        var after: String?
        while let last {
            let (count, end) = try await database.transaction { [after] transaction -> (Int, String?) in
                let chunk: SQLQuery = "\(match)\(.and("d.id", .greater, after))"
                // The chunk's upper id first, so that the UPDATE is bounded by a range rather than a list of ids.
                let bound = try await transaction.query(
                    "SELECT max(id) AS end FROM (SELECT d.id FROM deliveries d WHERE \(chunk) AND d.id <= \(last) ORDER BY d.id LIMIT \(ReplayFilter.chunk)) chunk"
                )
                guard let end = try bound.first?.optionalText("end") else { return (0, nil) }
                // A replay's first attempt is now, paced: an on-call engineer asked for it (docs/decisions.md). The
                // outer condition is checked again on rows a worker leased meanwhile: an attempt under way is never
                // queued a second time beside itself.
                let queue = try await transaction.query(
                    """
                    UPDATE deliveries SET replay_prior_status = status, status = \(DeliveryStatus.pending), series_start = attempts, replay_id = \(id),
                      next_attempt_at = \(now), updated_at = \(now)
                    WHERE status <> \(DeliveryStatus.inFlight) AND id IN (SELECT d.id FROM deliveries d WHERE \(chunk) AND d.id <= \(end)) RETURNING id
                    """
                )
                return (queue.count, end)
            }
            queued += count
            guard let end, end < last else { break }
            after = end
        }
        return ReplayCounts(matched: matched, queued: queued)
    }

    func replayProgress(id: String) async throws -> ReplayProgress? {
        let read = try await database.query("SELECT filter, actor, created_at, matched, cancelled, cancelled_at FROM replays WHERE id = \(id)")
        guard let row = read.first else { return nil }
        var progress = ReplayProgress(
            id: id, filter: try row.text("filter"), actor: try row.text("actor"), createdAt: try row.date("created_at"),
            matched: try row.int("matched"),
            queued: 0, succeeded: 0, failed: 0, cancelled: try row.int("cancelled"), cancelledAt: try row.optionalDate("cancelled_at")
        )
        for row in try await database.query("SELECT status, count(*) AS count FROM deliveries WHERE replay_id = \(id) GROUP BY status") {
            let count = try row.int("count")
            switch try row.constant("status", as: DeliveryStatus.self) {
            case .pending, .inFlight: progress.queued += count
            case .succeeded: progress.succeeded += count
            // A subscription that answered 410 cancels its delivery: that is a failure of the replay too.
            case .failed, .dead, .cancelled: progress.failed += count
            }
        }
        return progress
    }

    func cancelReplay(id: String, now: Date, audit: @escaping @Sendable (_ cancelled: Int) -> AuditEntry) async throws -> Int? {
        try await database.transaction { transaction in
            let cancelled = try await transaction.query(
                """
                UPDATE deliveries SET status = replay_prior_status, replay_id = NULL, replay_prior_status = NULL, updated_at = \(now)
                WHERE replay_id = \(id) AND status = \(DeliveryStatus.pending) RETURNING id
                """
            ).count
            let marked = try await transaction.query(
                "UPDATE replays SET cancelled = cancelled + \(cancelled), cancelled_at = coalesce(cancelled_at, \(now)) WHERE id = \(id) RETURNING id"
            )
            guard !marked.isEmpty else { return nil }
            _ = try await transaction.query(Self.recording(audit(cancelled)))
            return cancelled
        }
    }

    func redeliver(eventID: String, deliveries: [PlannedDelivery], now: Date, audit: AuditEntry) async throws -> [Redelivery]? {
        try await database.transaction { transaction in
            guard try await !transaction.query("SELECT id FROM events WHERE id = \(eventID)").isEmpty else { return nil }
            _ = try await transaction.query(Self.recording(audit))
            var results: [Redelivery] = []
            for planned in deliveries {
                let destination = planned.destination
                let due = planned.due(queuedAt: now)
                let ofEvent: SQLQuery = "event_id = \(eventID) AND destination = \(destination)"
                if let row = try await transaction.query(Self.requeue(due: due, now: now, where: ofEvent)).first {
                    results.append(Redelivery(destination: destination, deliveryID: try row.text("id"), result: .queued))
                } else if let row = try await transaction.query("SELECT id FROM deliveries WHERE \(ofEvent)").first {
                    results.append(Redelivery(destination: destination, deliveryID: try row.text("id"), result: .inFlight))
                } else {
                    let delivery = OutboxRows.Delivery(
                        id: Identifier.make(prefix: "dlv_", now: now), eventID: eventID, destination: destination, due: due, now: now)
                    try await transaction.insert([delivery.values], into: OutboxRows.deliveryTable)
                    results.append(Redelivery(destination: destination, deliveryID: delivery.id, result: .created))
                }
            }
            return results
        }
    }

    /// The filter as a condition on `deliveries d`; the event's type and source come from `events` only when asked for.
    private static func match(_ filter: ReplayFilter) -> SQLQuery {
        guard !filter.destinations.isEmpty else { return "1 = 0" }
        let range = IDRange.between("dlv_", since: filter.since, until: filter.until)
        var match: SQLQuery = """
            d.status <> \(DeliveryStatus.inFlight) AND d.destination IN \(list: filter.destinations.map(SQLValue.text))\
            \(.and("d.status", equals: filter.status?.rawValue))\(.and("d.id", .greaterOrEqual, range.lower))\(.and("d.id", .lessOrEqual, range.upper))
            """
        if filter.type != nil || filter.source != nil {
            match +=
                " AND d.event_id IN (SELECT e.id FROM events e WHERE 1 = 1\(.and("e.source", equals: filter.source))\(.and("e.type", matching: filter.type)))"
        }
        return match
    }
}

extension ReplayFilter {
    /// How many deliveries one transaction of a bulk replay queues: a few milliseconds of SQLite's only writer, so
    /// that ingest keeps committing between chunks.
    static let chunk = 1_000
}
