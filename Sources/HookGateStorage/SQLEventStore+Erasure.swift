import Foundation
import HookGateCore
import NIOCore

/// Erasure (DESIGN.md §13) in the SQL both backends share.
extension SQLEventStore {
    func startErasure(id: String, actor: String, scope: String, total: Int, audit: AuditEntry, now: Date) async throws {
        try await database.transaction { transaction in
            _ = try await transaction.query(
                """
                INSERT INTO erasures (id, state, actor, scope, total, created_at, updated_at)
                VALUES (\(id), \(ErasureState.running.rawValue), \(actor), \(scope), \(total), \(now), \(now))
                """)
            _ = try await transaction.query(Self.recording(audit))
        }
    }

    func countErasable(sources: [String]?) async throws -> Int {
        try await database.query("SELECT count(*) AS n FROM events WHERE 1 = 1\(Self.inSources(sources))").first?.int("n") ?? 0
    }

    func erasureWindow(after: String?, limit: Int, sources: [String]?, needles: [String]?) async throws -> ErasureWindow {
        let after = after ?? ""
        let bounds = try await database.query(
            """
            SELECT max(id) AS last, count(*) AS scanned FROM (
              SELECT id FROM events WHERE id > \(after)\(Self.inSources(sources)) ORDER BY id LIMIT \(limit)) w
            """
        ).first
        guard let last = try bounds?.optionalText("last") else { return ErasureWindow(candidates: [], last: nil, scanned: 0) }
        // The needles narrow the window to the few payloads that may name the customer before any is decoded.
        let payload: SQLQuery =
            switch database.dialect {
            case .sqlite: "lower(CAST(payload AS TEXT))"
            case .postgres: "lower(convert_from(payload, 'UTF8'))"
            }
        let filter = Self.containsAny(payload, needles, database.dialect)
        let candidates = try await database.query(
            "SELECT id, receipt_id, payload FROM events WHERE id > \(after) AND id <= \(last)\(Self.inSources(sources))\(filter) ORDER BY id"
        ).map { row in
            ErasureCandidate(eventID: try row.text("id"), receiptID: try row.text("receipt_id"), payload: try row.blob("payload"))
        }
        return ErasureWindow(candidates: candidates, last: last, scanned: try bounds?.optionalInt("scanned") ?? 0)
    }

    func eraseEventlessReceipts(
        status: Normalization.Status, after: String?, limit: Int, sources: [String]?, needles: [String]?
    ) async throws -> EventlessErasure {
        let after = after ?? ""
        let bounds = try await database.query(
            """
            SELECT max(id) AS last, count(*) AS scanned FROM (
              SELECT id FROM receipts WHERE status = \(status.rawValue) AND id > \(after)\(Self.inSources(sources)) ORDER BY id LIMIT \(limit)) w
            """
        ).first
        guard let last = try bounds?.optionalText("last") else { return EventlessErasure(erased: 0, last: nil, scanned: 0) }
        // A body that is not even text (that may be why it is unparsed) is searched as text all the same: SQLite casts
        // the bytes, PostgreSQL escapes the ones that are not printable.
        let body: SQLQuery =
            switch database.dialect {
            case .sqlite: "lower(CAST(body AS TEXT))"
            case .postgres: "lower(encode(body, 'escape'))"
            }
        let erased = try await database.write(
            """
            UPDATE receipts SET body = substr(body, 1, 0), headers = '{}'
            WHERE status = \(status.rawValue) AND id > \(after) AND id <= \(last)\(Self.inSources(sources))
              AND (length(body) > 0 OR headers <> '{}')\(Self.containsAny(body, needles, database.dialect))
            RETURNING id
            """,
            durable: true
        ).count
        return EventlessErasure(erased: erased, last: last, scanned: try bounds?.optionalInt("scanned") ?? 0)
    }

    func erase(_ events: [RedactedEvent], now: Date) async throws -> ErasureCounts {
        guard !events.isEmpty else { return ErasureCounts() }
        return try await database.transaction { transaction in
            var counts = ErasureCounts()
            for event in events {
                let subject: SQLQuery = event.dropSubject ? ", subject = NULL" : ""
                counts.events += try await transaction.query(
                    "UPDATE events SET payload = \(event.payload)\(subject) WHERE id = \(event.eventID) RETURNING id"
                ).count
            }
            let eventIDs = events.map { SQLValue.text($0.eventID) }
            let receiptIDs = Set(events.map(\.receiptID)).sorted().map(SQLValue.text)
            counts.receipts = try await transaction.query(
                """
                UPDATE receipts SET body = substr(body, 1, 0), headers = '{}' WHERE id IN \(list: receiptIDs)
                  AND (length(body) > 0 OR headers <> '{}') RETURNING id
                """
            ).count
            // An attempt under way finishes, but its outcome no longer moves the delivery (its lease is gone): a
            // failure is not retried with the customer's data, which the next lease would not carry anyway.
            let undelivered = [DeliveryStatus.pending, .failed, .inFlight].map { SQLValue.text($0.rawValue) }
            counts.deliveriesCancelled = try await transaction.query(
                """
                UPDATE deliveries SET status = \(DeliveryStatus.cancelled), lease_owner = NULL, lease_expires_at = NULL, updated_at = \(now)
                WHERE event_id IN \(list: eventIDs) AND status IN \(list: undelivered) RETURNING id
                """
            ).count
            // A destination may have echoed the customer's data back in its answer.
            _ = try await transaction.query(
                """
                UPDATE delivery_attempts SET response_snippet = NULL
                WHERE delivery_id IN (SELECT id FROM deliveries WHERE event_id IN \(list: eventIDs)) AND response_snippet IS NOT NULL
                """)
            return counts
        }
    }

    func recordErasure(id: String, state: ErasureState, counts: ErasureCounts, error: String?, now: Date) async throws {
        _ = try await database.write(
            """
            UPDATE erasures SET state = \(state.rawValue), scanned = \(counts.scanned), receipts = \(counts.receipts), events = \(counts.events),
              deliveries_cancelled = \(counts.deliveriesCancelled), error = \(error), updated_at = \(now)
            WHERE id = \(id)
            """, durable: true)
    }

    func erasure(id: String) async throws -> ErasureProgress? {
        try await database.query("SELECT * FROM erasures WHERE id = \(id)").first.map(Self.erasure)
    }

    func erasures(limit: Int) async throws -> [ErasureProgress] {
        try await database.query("SELECT * FROM erasures ORDER BY id DESC LIMIT \(limit)").map(Self.erasure)
    }

    func failInterruptedErasures(reason: String, staleBefore: Date, now: Date) async throws -> Int {
        try await database.write(
            """
            UPDATE erasures SET state = \(ErasureState.failed.rawValue), error = \(reason), updated_at = \(now)
            WHERE state = \(ErasureState.running.rawValue) AND updated_at < \(staleBefore) RETURNING id
            """,
            durable: true
        ).count
    }

    private static func erasure(_ row: SQLRow) throws -> ErasureProgress {
        ErasureProgress(
            id: try row.text("id"), state: ErasureState(rawValue: try row.text("state")) ?? .failed, actor: try row.text("actor"),
            scope: try row.text("scope"),
            counts: ErasureCounts(
                receipts: try row.int("receipts"), events: try row.int("events"), deliveriesCancelled: try row.int("deliveries_cancelled"),
                scanned: try row.int("scanned")),
            total: try row.int("total"), error: try row.optionalText("error"), createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at"))
    }

    /// ` AND (…)`: only rows whose lowercased `text` contains one of `needles`; nothing when there are none (every
    /// row is in scope).
    private static func containsAny(_ text: SQLQuery, _ needles: [String]?, _ dialect: SQLDialect) -> SQLQuery {
        guard let needles, !needles.isEmpty else { return "" }
        var filter: SQLQuery = " AND ("
        for (index, needle) in needles.enumerated() {
            filter = "\(filter)\(sql: index == 0 ? "" : " OR ")\(sql: dialect == .sqlite ? "instr" : "strpos")(\(text), \(needle)) > 0"
        }
        return "\(filter))"
    }

    private static func inSources(_ sources: [String]?) -> SQLQuery {
        guard let sources else { return "" }
        return " AND source IN \(list: sources.map(SQLValue.text))"
    }
}
