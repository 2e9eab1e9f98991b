import Foundation
import HookGateCore

/// Bulk replays (DESIGN.md §8): the deliveries a filter matches are queued again, tagged with the replay so the
/// workers pace them and the replay can report progress or be cancelled.
extension SQLEventStore {
    func countReplay(_ filter: ReplayFilter) async throws -> Int {
        var count = SQLStatement(database.dialect, "SELECT count(*) FROM deliveries d WHERE ")
        Self.appendMatch(filter, to: &count)
        return Int(try await database.query(count).first?.int(0) ?? 0)
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
        let dialect = database.dialect
        let (matched, last) = try await database.transaction { transaction -> (Int, String?) in
            var count = SQLStatement(dialect, "SELECT count(*), max(d.id) FROM deliveries d WHERE ")
            Self.appendMatch(filter, to: &count)
            let row = try await transaction.query(count).first
            let matched = Int(try row?.int(0) ?? 0)
            var record = SQLStatement(dialect, "INSERT INTO replays (id, filter, actor, created_at, matched) VALUES ")
            record.bindRow([.text(id), .text(description), .text(actor), .date(now), .int(Int64(matched))])
            _ = try await transaction.query(record)
            _ = try await transaction.query(Self.recording(audit(matched), dialect))
            return (matched, try row?.optionalText(1))
        }
        var queued = 0
        var after: String?
        while let last {
            let (count, end) = try await database.transaction { [after] transaction -> (Int, String?) in
                // The chunk's upper id first, so that the UPDATE is bounded by a range rather than a list of ids.
                var bound = SQLStatement(dialect, "SELECT max(id) FROM (SELECT d.id FROM deliveries d WHERE ")
                Self.appendMatch(filter, to: &bound)
                bound.and("d.id >", after)
                bound.and("d.id <=", last)
                bound.append(" ORDER BY d.id LIMIT \(ReplayFilter.chunk)) chunk")
                guard let end = try await transaction.query(bound).first?.optionalText(0) else { return (0, nil) }
                var queue = SQLStatement(dialect, "UPDATE deliveries SET replay_prior_status = status, status = 'pending', series_start = attempts, replay_id = ")
                queue.bind(id)
                // A replay's first attempt is now, paced: an on-call engineer asked for it (docs/decisions.md).
                queue.append(", next_attempt_at = ")
                queue.bind(.date(now))
                queue.append(", updated_at = ")
                queue.bind(.date(now))
                // The outer condition is checked again on rows a worker leased meanwhile: an attempt under way is
                // never queued a second time beside itself.
                queue.append(" WHERE status <> 'in_flight' AND id IN (SELECT d.id FROM deliveries d WHERE ")
                Self.appendMatch(filter, to: &queue)
                queue.and("d.id >", after)
                queue.and("d.id <=", end)
                queue.append(") RETURNING id")
                return (try await transaction.query(queue).count, end)
            }
            queued += count
            guard let end, end < last else { break }
            after = end
        }
        return ReplayCounts(matched: matched, queued: queued)
    }

    func replayProgress(id: String) async throws -> ReplayProgress? {
        var read = SQLStatement(database.dialect, "SELECT filter, actor, created_at, matched, cancelled, cancelled_at FROM replays WHERE id = ")
        read.bind(id)
        guard let row = try await database.query(read).first else { return nil }
        var progress = ReplayProgress(
            id: id, filter: try row.text(0), actor: try row.text(1), createdAt: try row.date(2), matched: Int(try row.int(3)), queued: 0,
            succeeded: 0, failed: 0, cancelled: Int(try row.int(4)), cancelledAt: row.values[5].isNull ? nil : try row.date(5)
        )
        var counts = SQLStatement(database.dialect, "SELECT status, count(*) FROM deliveries WHERE replay_id = ")
        counts.bind(id)
        counts.append(" GROUP BY status")
        for row in try await database.query(counts) {
            let count = Int(try row.int(1))
            switch try row.text(0) {
            case "pending", "in_flight": progress.queued += count
            case "succeeded": progress.succeeded += count
            // A subscription that answered 410 cancels its delivery: that is a failure of the replay too.
            default: progress.failed += count
            }
        }
        return progress
    }

    func cancelReplay(id: String, now: Date, audit: @escaping @Sendable (_ cancelled: Int) -> AuditEntry) async throws -> Int? {
        let dialect = database.dialect
        return try await database.transaction { transaction in
            var revert = SQLStatement(
                dialect,
                "UPDATE deliveries SET status = replay_prior_status, replay_id = NULL, replay_prior_status = NULL, updated_at = "
            )
            revert.bind(.date(now))
            revert.append(" WHERE replay_id = ")
            revert.bind(id)
            revert.append(" AND status = 'pending' RETURNING id")
            let cancelled = try await transaction.query(revert).count

            var mark = SQLStatement(dialect, "UPDATE replays SET cancelled = cancelled + \(cancelled), cancelled_at = coalesce(cancelled_at, ")
            mark.bind(.date(now))
            mark.append(") WHERE id = ")
            mark.bind(id)
            mark.append(" RETURNING id")
            guard try await !transaction.query(mark).isEmpty else { return nil }
            _ = try await transaction.query(Self.recording(audit(cancelled), dialect))
            return cancelled
        }
    }

    func redeliver(eventID: String, deliveries: [PlannedDelivery], now: Date, audit: AuditEntry) async throws -> [Redelivery]? {
        let dialect = database.dialect
        return try await database.transaction { transaction in
            var exists = SQLStatement(dialect, "SELECT id FROM events WHERE id = ")
            exists.bind(eventID)
            guard try await !transaction.query(exists).isEmpty else { return nil }
            _ = try await transaction.query(Self.recording(audit, dialect))
            var results: [Redelivery] = []
            for planned in deliveries {
                let destination = planned.destination, due = planned.due(queuedAt: now)
                var requeue = Self.requeue(dialect, due: due, now: now)
                requeue.append(" AND event_id = ")
                requeue.bind(eventID)
                requeue.append(" AND destination = ")
                requeue.bind(destination)
                requeue.append(" RETURNING id")
                if let row = try await transaction.query(requeue).first {
                    results.append(Redelivery(destination: destination, deliveryID: try row.text(0), result: .queued))
                    continue
                }
                var existing = SQLStatement(dialect, "SELECT id FROM deliveries WHERE event_id = ")
                existing.bind(eventID)
                existing.append(" AND destination = ")
                existing.bind(destination)
                if let row = try await transaction.query(existing).first {
                    results.append(Redelivery(destination: destination, deliveryID: try row.text(0), result: .inFlight))
                    continue
                }
                let id = Identifier.make(prefix: "dlv_", now: now)
                var create = SQLStatement(dialect, "INSERT INTO deliveries (id, event_id, destination, status, next_attempt_at, created_at, updated_at) VALUES ")
                create.bindRow([.text(id), .text(eventID), .text(destination), .text("pending"), .date(due), .date(now), .date(now)])
                _ = try await transaction.query(create)
                results.append(Redelivery(destination: destination, deliveryID: id, result: .created))
            }
            return results
        }
    }

    /// The filter as SQL over `deliveries d`; the event's type and source come from `events` only when asked for.
    private static func appendMatch(_ filter: ReplayFilter, to statement: inout SQLStatement) {
        guard !filter.destinations.isEmpty else { return statement.append("1 = 0") }
        statement.append("d.status <> 'in_flight' AND d.destination IN ")
        statement.bindRow(filter.destinations.map(SQLValue.text))
        statement.and("d.status =", filter.status)
        let range = IDRange.between("dlv_", since: filter.since, until: filter.until)
        statement.and("d.id >=", range.lower)
        statement.and("d.id <=", range.upper)
        if filter.type != nil || filter.source != nil {
            statement.append(" AND d.event_id IN (SELECT e.id FROM events e WHERE 1 = 1")
            statement.and("e.source =", filter.source)
            statement.and("e.type", matching: filter.type)
            statement.append(")")
        }
    }
}
