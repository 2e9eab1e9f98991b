import Foundation
import HookGateCore
import NIOCore
import NIOFoundationCompat

/// Delivery leases, attempts and subscriptions, in the SQL both backends share.
extension SQLEventStore {
    func claimDeliveries(
        destination: String, limit: Int, replayLimit: Int, owner: String, now: Date, leaseUntil: Date
    ) async throws -> [ClaimedDelivery] {
        guard limit > 0 else { return [] }
        let query = Self.lease(
            database.dialect, destination: destination, limit: limit, replayLimit: replayLimit, owner: owner, now: now, leaseUntil: leaseUntil)
        let leased = try await database.write(query, durable: false).map { row in
            let delivery = ClaimedDelivery(
                id: try row.text("id"), eventID: try row.text("event_id"), destination: destination, attempts: try row.int("attempts"),
                seriesStart: try row.int("series_start"), payload: try row.blob("payload"), replayed: try row.bool("replayed")
            )
            return (delivery: delivery, due: try row.date("next_attempt_at"))
        }
        return leased.sorted { ($0.delivery.replayed ? 1 : 0, $0.due) < ($1.delivery.replayed ? 1 : 0, $1.due) }.map(\.delivery)
    }

    func nextDue(destination: String) async throws -> Date? {
        // Each kind's minimum is the first entry of its partial index. Read on the writing connection, as the lease
        // is: the reading one may be held by a long report while the delivery loop waits.
        func earliest(replayed: Bool) -> SQLQuery {
            """
            SELECT MIN(next_attempt_at) AS due FROM deliveries WHERE destination = \(destination) AND status = \(DeliveryStatus.pending)
              AND replay_id IS \(sql: replayed ? "NOT NULL" : "NULL")
            """
        }
        let query: SQLQuery = "SELECT MIN(due) AS due FROM (\(earliest(replayed: false)) UNION ALL \(earliest(replayed: true))) kinds"
        return try await database.write(query, durable: false).first?.optionalDate("due")
    }

    /// One statement that leases up to `limit` of a destination's due deliveries: live work first, then replayed work
    /// (at most `replayLimit`, the pace the caller allows) to fill what is left. Each kind is read through its own
    /// partial index. Leases are bookkeeping: one lost in a power failure only means the delivery is leased again.
    private static func lease(
        _ dialect: SQLDialect, destination: String, limit: Int, replayLimit: Int, owner: String, now: Date, leaseUntil: Date
    ) -> SQLQuery {
        func due(replayed: Bool, limit: Int) -> SQLQuery {
            """
            SELECT id, \(sql: replayed ? "1" : "0") AS kind, next_attempt_at FROM (
              SELECT id, next_attempt_at FROM deliveries WHERE destination = \(destination) AND status = \(DeliveryStatus.pending)
                AND replay_id IS \(sql: replayed ? "NOT NULL" : "NULL") AND next_attempt_at <= \(now)
              ORDER BY next_attempt_at LIMIT \(limit)\(sql: dialect.skipLocked)
            ) \(sql: replayed ? "replayed" : "live")
            """
        }
        // The payload comes back with the lease: no second read, and none on the reading connection, which a long
        // report can hold while the delivery loop waits.
        return """
            UPDATE deliveries SET status = \(DeliveryStatus.inFlight), lease_owner = \(owner), lease_expires_at = \(leaseUntil), updated_at = \(now)
            WHERE id IN (SELECT id FROM (\(due(replayed: false, limit: limit)) UNION ALL \(due(replayed: true, limit: min(limit, replayLimit))))
              due ORDER BY kind, next_attempt_at LIMIT \(limit))
            RETURNING id, event_id, attempts, series_start, CASE WHEN replay_id IS NULL THEN 0 ELSE 1 END AS replayed, next_attempt_at,
              (SELECT payload FROM events WHERE events.id = deliveries.event_id) AS payload
            """
    }

    func releaseExpiredLeases(now: Date, destination: String?) async throws -> Int {
        let query: SQLQuery = """
            UPDATE deliveries SET status = \(DeliveryStatus.pending), lease_owner = NULL, lease_expires_at = NULL
            WHERE status = \(DeliveryStatus.inFlight) AND lease_expires_at < \(now)\(.and("destination", equals: destination)) RETURNING id
            """
        return try await database.transaction(durable: false) { try await $0.query(query).count }
    }

    func completeDeliveries(_ completions: [DeliveryCompletion], owner: String, now: Date) async throws -> [Bool] {
        guard !completions.isEmpty else { return [] }
        // An outcome lost in a power failure means one more attempt: at-least-once, deduplicated on webhook-id.
        let kept = try await database.recordOutcomes(completions, owner: owner, now: now)
        return completions.map { kept.contains($0.deliveryID) }
    }

    func appendAudit(_ entry: AuditEntry) async throws {
        _ = try await write(Self.recording(entry))
    }

    /// Runs `change` and records `entry` in one durable transaction, the entry only when `change` says it changed
    /// something: if the entry cannot be written, the change does not happen either.
    func audited(_ entry: AuditEntry, _ change: @Sendable @escaping (any SQLTransaction) async throws -> Bool) async throws -> Bool {
        try await database.transaction { transaction in
            guard try await change(transaction) else { return false }
            _ = try await transaction.query(Self.recording(entry))
            return true
        }
    }

    /// The INSERT that adds `entry` to the audit log.
    static func recording(_ entry: AuditEntry) -> SQLQuery {
        """
        INSERT INTO audit_log (id, at, actor, action, target, detail)
        VALUES (\(entry.id), \(entry.at), \(entry.actor), \(entry.action), \(entry.target), \(entry.detail))
        """
    }

    func auditLog(limit: Int, before: String?) async throws -> Page<AuditEntry> {
        let entries = try await database.query(
            "SELECT id, at, actor, action, target, detail FROM audit_log WHERE 1 = 1\(.and("id", .less, before)) ORDER BY id DESC LIMIT \(limit + 1)"
        ).map { row in
            AuditEntry(
                id: try row.text("id"), at: try row.date("at"), actor: try row.text("actor"), action: try row.text("action"),
                target: try row.text("target"), detail: try row.text("detail")
            )
        }
        return Page(fetched: entries, limit: limit, id: \.id)
    }

    func announceNewDeliveries() async throws {
        try await database.notify(NotificationChannel.newDeliveries)
    }

    func watchNewDeliveries(_ onNew: @escaping @Sendable () -> Void) async throws -> Bool {
        try await database.listen(NotificationChannel.newDeliveries, onNotification: onNew)
    }

    func backlog(now: Date) async throws -> [String: DestinationBacklog] {
        let rows = try await database.query(
            """
            SELECT destination, status, count(*) AS count, min(next_attempt_at) AS oldest, sum(CASE WHEN next_attempt_at <= \(now) THEN 1 ELSE 0 END) AS due
            FROM deliveries WHERE status IN (\(DeliveryStatus.pending), \(DeliveryStatus.inFlight), \(DeliveryStatus.dead)) GROUP BY destination, status
            """
        )
        var backlog: [String: DestinationBacklog] = [:]
        for row in rows {
            let destination = try row.text("destination")
            let count = try row.int("count")
            var entry = backlog[destination] ?? DestinationBacklog()
            switch try row.constant("status", as: DeliveryStatus.self) {
            case .pending:
                entry.pending = count
                entry.due = try row.int("due")
                entry.oldestPending = try row.date("oldest")
            case .inFlight: entry.inFlight = count
            default: entry.dead = count
            }
            backlog[destination] = entry
        }
        return backlog
    }

    func lastAttempts() async throws -> [String: (success: Date?, failure: Date?)] {
        let rows = try await database.query("\(sql: DestinationHealth.read)")
        var result: [String: (success: Date?, failure: Date?)] = [:]
        for row in rows { result[try row.text("destination")] = (try row.optionalDate("success"), try row.optionalDate("failure")) }
        return result
    }

    /// One writing statement in its own transaction (SQLite writes go through its single writer connection).
    func write(_ query: SQLQuery) async throws -> [SQLRow] {
        try await database.write(query, durable: true)
    }

    func replayDelivery(id: String, now: Date, audit: AuditEntry) async throws -> ReplayResult {
        let queue = Self.requeue(due: now, now: now, where: "id = \(id)")
        let queued = try await audited(audit) { try await !$0.query(queue).isEmpty }
        if queued { return .queued }
        return try await delivery(id: id) == nil ? .notFound : .inFlight
    }

    /// Queues the deliveries `condition` picks again as a new attempt series of live work, first attempt `due`, and
    /// returns their ids. One delivery replayed or redelivered by hand is urgent, not paced: it leaves any bulk replay
    /// it was part of. An attempt under way is left alone rather than sent twice at once.
    static func requeue(due: Date, now: Date, where condition: SQLQuery) -> SQLQuery {
        """
        UPDATE deliveries SET status = \(DeliveryStatus.pending), series_start = attempts, replay_id = NULL, replay_prior_status = NULL,
          next_attempt_at = \(due), updated_at = \(now)
        WHERE status <> \(DeliveryStatus.inFlight) AND \(condition) RETURNING id
        """
    }
}

extension DeliveryDecision {
    /// The delivery's status and next attempt time after this decision.
    func stored(now: Date) -> (status: DeliveryStatus, nextAttemptAt: Date) {
        switch self {
        case .succeeded: (.succeeded, now)
        case .retry(let at): (.pending, at)
        case .dead: (.dead, now)
        case .cancelled: (.cancelled, now)
        }
    }
}

extension SQLDatabase {
    /// The portable way to record outcomes: the attempts in multi-row INSERTs, then one UPDATE per chunk in which each
    /// delivery still leased by `owner` takes its own row's outcome (a lease lost to another instance is left alone).
    func recordOutcomesInSteps(_ completions: [DeliveryCompletion], owner: String, now: Date) async throws -> Set<String> {
        try await transaction(durable: false) { transaction in
            var kept = Set<String>()
            for chunk in completions.chunked(by: 500) {
                // A worker that lost its lease may record the same attempt number as the one that took over.
                _ = try await transaction.query(
                    """
                    INSERT INTO delivery_attempts (delivery_id, number, started_at, duration_ms, status_code, error, response_snippet)
                    VALUES \(rows: chunk.map { [.text($0.deliveryID)] + $0.attempt.values }) ON CONFLICT (delivery_id, number) DO NOTHING
                    """
                )
                _ = try await transaction.query(DestinationHealth.record(deliveryIDs: chunk.map(\.deliveryID)))
                // Each status code typed, so that PostgreSQL does not take a column of nulls for text.
                let outcomes = chunk.map { completion -> SQLQuery in
                    let (status, next) = completion.decision.stored(now: now)
                    return """
                        (\(completion.deliveryID), \(status.rawValue), \(completion.attempt.number), \(next), CAST(\(completion.attempt.statusCode) AS INTEGER))
                        """
                }
                let moved = try await transaction.query(
                    """
                    WITH outcome (id, status, attempts, next_attempt_at, last_status) AS (VALUES \(SQLQuery(joining: outcomes, separator: ", ")))
                    UPDATE deliveries SET status = outcome.status, attempts = outcome.attempts, next_attempt_at = outcome.next_attempt_at,
                      last_status = outcome.last_status, lease_owner = NULL, lease_expires_at = NULL, updated_at = \(now)
                    FROM outcome WHERE deliveries.id = outcome.id AND deliveries.status = \(DeliveryStatus.inFlight) AND deliveries.lease_owner = \(owner)
                    RETURNING deliveries.id
                    """
                )
                kept.formUnion(try moved.map { try $0.text("id") })
            }
            return kept
        }
    }
}

extension DeliveryAttempt {
    /// The attempt's columns after `delivery_id`: number, started_at, duration_ms, status_code, error, response_snippet.
    var values: [SQLValue] {
        [
            .int(Int64(number)), .date(startedAt), .int(Int64(durationMilliseconds)), statusCode.map { .int(Int64($0)) } ?? .null,
            error.map(SQLValue.text) ?? .null, responseSnippet.map(SQLValue.text) ?? .null,
        ]
    }
}
