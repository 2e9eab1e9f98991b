import Foundation
import HookGateCore
import NIOCore
import NIOFoundationCompat

/// Delivery leases, attempts and subscriptions, in the SQL both backends share.
extension SQLEventStore {
    func claimDeliveries(destination: String, limit: Int, replayLimit: Int, owner: String, now: Date, leaseUntil: Date) async throws -> [ClaimedDelivery] {
        guard limit > 0 else { return [] }
        let statement = Self.lease(database.dialect, destination: destination, limit: limit, replayLimit: replayLimit, owner: owner, now: now, leaseUntil: leaseUntil)
        let leased = try await database.write(statement, durable: false).map { row in
            let delivery = ClaimedDelivery(
                id: try row.text(0), eventID: try row.text(1), destination: destination, attempts: Int(try row.int(2)), seriesStart: Int(try row.int(3)),
                payload: try row.blob(6), replayed: try row.int(4) == 1
            )
            return (delivery: delivery, due: try row.date(5))
        }
        return leased.sorted { ($0.delivery.replayed ? 1 : 0, $0.due) < ($1.delivery.replayed ? 1 : 0, $1.due) }.map(\.delivery)
    }

    /// One statement that leases up to `limit` of a destination's due deliveries: live work first, then replayed work
    /// (at most `replayLimit`, the pace the caller allows) to fill what is left. Each kind is read through its own
    /// partial index. Leases are bookkeeping: one lost in a power failure only means the delivery is leased again.
    private static func lease(
        _ dialect: SQLDialect, destination: String, limit: Int, replayLimit: Int, owner: String, now: Date, leaseUntil: Date
    ) -> SQLStatement {
        var lease = SQLStatement(dialect, "UPDATE deliveries SET status = 'in_flight', lease_owner = ")
        lease.bind(owner)
        lease.append(", lease_expires_at = ")
        lease.bind(.date(leaseUntil))
        lease.append(", updated_at = ")
        lease.bind(.date(now))
        lease.append(" WHERE id IN (SELECT id FROM (")
        for (kind, replayed, count) in [(0, false, limit), (1, true, min(limit, replayLimit))] {
            if replayed { lease.append(" UNION ALL ") }
            lease.append("SELECT id, \(kind) AS kind, next_attempt_at FROM (SELECT id, next_attempt_at FROM deliveries WHERE destination = ")
            lease.bind(destination)
            lease.append(" AND status = 'pending' AND replay_id IS \(replayed ? "NOT NULL" : "NULL") AND next_attempt_at <= ")
            lease.bind(.date(now))
            lease.append(" ORDER BY next_attempt_at LIMIT \(count)")
            // Several instances share PostgreSQL: each skips the rows another is leasing right now.
            if dialect == .postgres { lease.append(" FOR UPDATE SKIP LOCKED") }
            lease.append(replayed ? ") replayed" : ") live")
        }
        lease.append(") due ORDER BY kind, next_attempt_at LIMIT \(limit))")
        // The payload comes back with the lease: no second read, and none on the reading connection, which a long
        // report can hold while the delivery loop waits.
        lease.append(
            " RETURNING id, event_id, attempts, series_start, CASE WHEN replay_id IS NULL THEN 0 ELSE 1 END, next_attempt_at,"
                + " (SELECT payload FROM events WHERE events.id = deliveries.event_id)"
        )
        return lease
    }

    func releaseExpiredLeases(now: Date, destination: String?) async throws -> Int {
        var statement = SQLStatement(
            database.dialect,
            "UPDATE deliveries SET status = 'pending', lease_owner = NULL, lease_expires_at = NULL WHERE status = 'in_flight' AND lease_expires_at < "
        )
        statement.bind(.date(now))
        statement.and("destination =", destination)
        statement.append(" RETURNING id")
        return try await database.transaction(durable: false) { [statement] in try await $0.query(statement).count }
    }

    func completeDeliveries(_ completions: [DeliveryCompletion], owner: String, now: Date) async throws -> [Bool] {
        guard !completions.isEmpty else { return [] }
        let dialect = database.dialect
        // An outcome lost in a power failure means one more attempt: at-least-once, deduplicated on webhook-id.
        if dialect == .sqlite && (completions.count + 1) * 11 <= 30_000 {
            let kept = Set(try await database.write(Self.sqliteOutcomes(completions, owner: owner, now: now), durable: false).compactMap { try $0.optionalText(0) })
            return completions.map { kept.contains($0.deliveryID) }
        }
        return try await database.transaction(durable: false) { transaction in
            var kept = Set<String>()
            for chunk in completions.chunked(by: 500) {
                var record = SQLStatement(
                    dialect, "INSERT INTO delivery_attempts (delivery_id, number, started_at, duration_ms, status_code, error, response_snippet) VALUES "
                )
                for (index, completion) in chunk.enumerated() {
                    if index > 0 { record.append(", ") }
                    let attempt = completion.attempt
                    record.bindRow([
                        .text(completion.deliveryID), .int(Int64(attempt.number)), .date(attempt.startedAt), .int(Int64(attempt.durationMilliseconds)),
                        attempt.statusCode.map { .int(Int64($0)) } ?? .null, attempt.error.map(SQLValue.text) ?? .null,
                        attempt.responseSnippet.map(SQLValue.text) ?? .null,
                    ])
                }
                // A worker that lost its lease may record the same attempt number as the one that took over.
                record.append(" ON CONFLICT (delivery_id, number) DO NOTHING")
                _ = try await transaction.query(record)
                kept.formUnion(try await transaction.query(Self.outcomes(dialect, chunk, owner: owner, now: now)).map { try $0.text(0) })
            }
            return completions.map { kept.contains($0.deliveryID) }
        }
    }

    /// SQLite only: a batch's attempts and outcomes in one INSERT into the `outcome_rows` view, whose trigger
    /// (``SQLiteBackend``) records each attempt and moves its delivery on; returns the ids of those still leased by
    /// `owner`, NULL for the rest.
    private static func sqliteOutcomes(_ completions: [DeliveryCompletion], owner: String, now: Date) -> SQLStatement {
        var insert = SQLStatement(.sqlite, "INSERT INTO outcome_rows VALUES ")
        insert.bindRow(Array(repeating: .null, count: 11))
        for completion in completions {
            let attempt = completion.attempt
            let (status, next) = completion.decision.stored(now: now)
            insert.append(", ")
            insert.bindRow([
                .text(completion.deliveryID), .int(Int64(attempt.number)), .date(attempt.startedAt), .int(Int64(attempt.durationMilliseconds)),
                attempt.statusCode.map { .int(Int64($0)) } ?? .null, attempt.error.map(SQLValue.text) ?? .null,
                attempt.responseSnippet.map(SQLValue.text) ?? .null, .text(status), .date(next), .text(owner), .date(now),
            ])
        }
        insert.append(" RETURNING CASE WHEN EXISTS (SELECT 1 FROM outcome_kept WHERE id = delivery_id) THEN delivery_id END")
        return insert
    }

    /// One statement for a batch's outcomes, each row's own: the deliveries still leased by `owner` take them, and
    /// their ids come back (a lease lost to another instance is left alone).
    private static func outcomes(_ dialect: SQLDialect, _ completions: ArraySlice<DeliveryCompletion>, owner: String, now: Date) -> SQLStatement {
        var update = SQLStatement(dialect, "WITH outcome (id, status, attempts, next_attempt_at, last_status) AS (VALUES ")
        for (index, completion) in completions.enumerated() {
            let (status, next) = completion.decision.stored(now: now)
            update.append(index == 0 ? "(" : ", (")
            update.bind(completion.deliveryID)
            update.append(", ")
            update.bind(status)
            update.append(", ")
            update.bind(.int(Int64(completion.attempt.number)))
            update.append(", ")
            update.bind(.date(next))
            // Typed, so that PostgreSQL does not take a column of nulls for text.
            update.append(", CAST(")
            update.bind(completion.attempt.statusCode.map { .int(Int64($0)) } ?? .null)
            update.append(" AS INTEGER))")
        }
        update.append(
            ") UPDATE deliveries SET status = outcome.status, attempts = outcome.attempts, next_attempt_at = outcome.next_attempt_at,"
                + " last_status = outcome.last_status, lease_owner = NULL, lease_expires_at = NULL, updated_at = "
        )
        update.bind(.date(now))
        update.append(" FROM outcome WHERE deliveries.id = outcome.id AND deliveries.status = 'in_flight' AND deliveries.lease_owner = ")
        update.bind(owner)
        update.append(" RETURNING deliveries.id")
        return update
    }

    func replayDelivery(id: String, now: Date, audit: AuditEntry) async throws -> ReplayResult {
        var statement = Self.requeue(database.dialect, due: now, now: now)
        statement.append(" AND id = ")
        statement.bind(id)
        statement.append(" RETURNING id")
        let queued = try await audited(audit) { [statement] in try await !$0.query(statement).isEmpty }
        if queued { return .queued }
        return try await delivery(id: id) == nil ? .notFound : .inFlight
    }

    /// Queues deliveries again as a new attempt series of live work, first attempt `due`, for the conditions the
    /// caller appends (`AND …`). One delivery replayed or redelivered by hand is urgent, not paced: it leaves any bulk
    /// replay it was part of. An attempt under way is left alone rather than sent twice at once.
    static func requeue(_ dialect: SQLDialect, due: Date, now: Date) -> SQLStatement {
        var statement = SQLStatement(
            dialect, "UPDATE deliveries SET status = 'pending', series_start = attempts, replay_id = NULL, replay_prior_status = NULL, next_attempt_at = "
        )
        statement.bind(.date(due))
        statement.append(", updated_at = ")
        statement.bind(.date(now))
        statement.append(" WHERE status <> 'in_flight'")
        return statement
    }

    func appendAudit(_ entry: AuditEntry) async throws {
        _ = try await write(Self.recording(entry, database.dialect))
    }

    /// Runs `change` and records `entry` in one durable transaction, the entry only when `change` says it changed
    /// something: if the entry cannot be written, the change does not happen either.
    func audited(_ entry: AuditEntry, _ change: @Sendable @escaping (any SQLTransaction) async throws -> Bool) async throws -> Bool {
        let dialect = database.dialect
        return try await database.transaction { transaction in
            guard try await change(transaction) else { return false }
            _ = try await transaction.query(Self.recording(entry, dialect))
            return true
        }
    }

    /// The INSERT that adds `entry` to the audit log.
    static func recording(_ entry: AuditEntry, _ dialect: SQLDialect) -> SQLStatement {
        var statement = SQLStatement(dialect, "INSERT INTO audit_log (id, at, actor, action, target, detail) VALUES ")
        statement.bindRow([.text(entry.id), .date(entry.at), .text(entry.actor), .text(entry.action), .text(entry.target), .text(entry.detail)])
        return statement
    }

    func auditLog(limit: Int, before: String?) async throws -> Page<AuditEntry> {
        var statement = SQLStatement(database.dialect, "SELECT id, at, actor, action, target, detail FROM audit_log WHERE 1 = 1")
        statement.and("id <", before)
        statement.append(" ORDER BY id DESC LIMIT \(limit + 1)")
        let entries = try await database.query(statement).map { row in
            AuditEntry(id: try row.text(0), at: try row.date(1), actor: try row.text(2), action: try row.text(3), target: try row.text(4), detail: try row.text(5))
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
        var statement = SQLStatement(
            database.dialect,
            "SELECT destination, status, count(*), min(next_attempt_at), sum(CASE WHEN next_attempt_at <= "
        )
        statement.bind(.date(now))
        statement.append(" THEN 1 ELSE 0 END) FROM deliveries WHERE status IN ('pending', 'in_flight', 'dead') GROUP BY destination, status")
        var backlog: [String: DestinationBacklog] = [:]
        for row in try await database.query(statement) {
            let destination = try row.text(0)
            let count = Int(try row.int(2))
            var entry = backlog[destination] ?? DestinationBacklog()
            switch try row.text(1) {
            case "pending":
                entry.pending = count
                entry.due = Int(try row.int(4))
                entry.oldestPending = try row.date(3)
            case "in_flight": entry.inFlight = count
            default: entry.dead = count
            }
            backlog[destination] = entry
        }
        return backlog
    }

    func lastAttempts() async throws -> [String: (success: Date?, failure: Date?)] {
        let statement = SQLStatement(
            database.dialect,
            """
            SELECT d.destination,
                   max(CASE WHEN a.status_code BETWEEN 200 AND 299 THEN a.started_at END),
                   max(CASE WHEN a.status_code BETWEEN 200 AND 299 THEN NULL ELSE a.started_at END)
            FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id GROUP BY d.destination
            """
        )
        var result: [String: (success: Date?, failure: Date?)] = [:]
        for row in try await database.query(statement) {
            result[try row.text(0)] = (row.values[1].isNull ? nil : try row.date(1), row.values[2].isNull ? nil : try row.date(2))
        }
        return result
    }

    /// One writing statement in its own transaction (SQLite writes go through its single writer connection).
    func write(_ statement: SQLStatement) async throws -> [SQLRow] {
        try await database.write(statement, durable: true)
    }
}

extension SQLValue {
    var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

extension DeliveryDecision {
    /// The delivery's status and next attempt time after this decision.
    func stored(now: Date) -> (status: String, nextAttemptAt: Date) {
        switch self {
        case .succeeded: ("succeeded", now)
        case .retry(let at): ("pending", at)
        case .dead: ("dead", now)
        case .cancelled: ("cancelled", now)
        }
    }
}
