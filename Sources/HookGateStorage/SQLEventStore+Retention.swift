import Foundation
import HookGateCore

/// Retention (DESIGN.md §13): old receipt bodies emptied, old finished events removed with everything hanging from
/// them, old audit entries removed; each a bounded batch in its own short transaction.
extension SQLEventStore {
    func prune(_ cutoffs: RetentionCutoffs, limit: Int) async throws -> PruneBatch {
        var batch = PruneBatch()
        if let cutoff = cutoffs.events { batch += try await pruneEvents(before: cutoff, limit: limit) }
        // Bodies once the events are done: removing an event takes its receipt whole, so emptying that receipt's
        // body first would be a wasted write of the biggest column.
        if let cutoff = cutoffs.receiptBodies, batch.removed.events == 0 { batch += try await pruneBodies(before: cutoff, limit: limit) }
        if let cutoff = cutoffs.audit {
            let upper = IDRange.start("aud_", at: cutoff)
            batch += try await timedTransaction { transaction in
                var counts = PruneCounts()
                counts.audit = try await transaction.query(
                    "DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE id < \(upper) ORDER BY id LIMIT \(limit)) RETURNING id"
                ).count
                return counts
            }
        }
        return batch
    }

    /// A short, non-durable write transaction, with the time its statements took (not the wait for the writer).
    private func timedTransaction(_ body: @escaping @Sendable (any SQLTransaction) async throws -> PruneCounts) async throws -> PruneBatch {
        try await database.transaction(durable: false) { transaction in
            let clock = ContinuousClock()
            let started = clock.now
            var batch = PruneBatch()
            batch.removed = try await body(transaction)
            batch.held = clock.now - started
            return batch
        }
    }

    /// SQLite: 100, so that a batch holds the one writer ingest commits need for a few milliseconds. PostgreSQL has
    /// no single writer, and a batch locks only finished rows nobody else touches, so it takes 1,000: at 100, a batch's
    /// statements ran 12 ms but its round trips on a busy 2-core host took several times that, the pass rested four
    /// times the whole, and it removed about 390 events a second against 1,000 arriving (docs/benchmarks.md).
    var pruneBatch: Int { database.dialect == .sqlite ? 100 : 1_000 }

    func countPrunable(_ cutoffs: RetentionCutoffs) async throws -> PruneCounts {
        var counts = PruneCounts()
        if let cutoff = cutoffs.events {
            let finished = Self.finishedEvents(before: cutoff)
            let row = try await database.query(
                """
                SELECT (SELECT count(*) FROM events e WHERE \(finished)) AS events,
                  (SELECT count(*) FROM deliveries WHERE event_id IN (SELECT e.id FROM events e WHERE \(finished))) AS deliveries,
                  (SELECT count(*) FROM delivery_attempts WHERE delivery_id IN
                    (SELECT id FROM deliveries WHERE event_id IN (SELECT e.id FROM events e WHERE \(finished)))) AS attempts,
                  (SELECT count(DISTINCT receipt_id) FROM events e WHERE \(finished)) AS receipts
                """
            ).first
            counts.events = try row?.int("events") ?? 0
            counts.deliveries = try row?.int("deliveries") ?? 0
            counts.attempts = try row?.int("attempts") ?? 0
            counts.receipts = try row?.int("receipts") ?? 0
            for status in Normalization.Status.eventless {
                let eventless = try await database.query(
                    "SELECT count(*) AS receipts FROM receipts r WHERE \(Self.eventless(status, before: cutoff))")
                counts.receipts += try eventless.first?.int("receipts") ?? 0
            }
        }
        if let cutoff = cutoffs.receiptBodies {
            // A pass removes events first, and their receipts whole: those bodies are not emptied, so not counted.
            let removedWhole: SQLQuery =
                cutoffs.events.map { events in
                    """
                     AND NOT EXISTS (SELECT 1 FROM events e WHERE e.receipt_id = r.id AND \(Self.finishedEvents(before: events)))\
                     AND NOT (r.status <> \(Normalization.Status.normalized.rawValue) AND r.id < \(IDRange.start("rcp_", at: events))\
                     AND NOT EXISTS (SELECT 1 FROM events WHERE receipt_id = r.id))
                    """
                } ?? ""
            let bodies = try await database.query(
                "SELECT count(*) AS bodies FROM receipts r WHERE \(try await bodiesToEmpty(before: cutoff))\(removedWhole)")
            counts.receiptBodies = try bodies.first?.int("bodies") ?? 0
        }
        if let cutoff = cutoffs.audit {
            let upper = IDRange.start("aud_", at: cutoff)
            counts.audit = try await database.query("SELECT count(*) AS audit FROM audit_log WHERE id < \(upper)").first?.int("audit") ?? 0
        }
        return counts
    }

    func storageBytes() async throws -> Int {
        let sql: SQLQuery =
            switch database.dialect {
            case .sqlite: "SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()"
            case .postgres: "SELECT pg_database_size(current_database()) AS bytes"
            }
        return try await database.query(sql).first?.int("bytes") ?? 0
    }

    /// Deliveries in these can still be attempted, so their events are kept.
    private static var attemptable: [DeliveryStatus] { [.pending, .inFlight, .failed] }

    /// Events older than `cutoff` (by their time-sortable id) none of whose deliveries can still be attempted.
    private static func finishedEvents(before cutoff: Date) -> SQLQuery {
        let active = attemptable.map { SQLValue.text($0.rawValue) }
        return """
            e.id < \(IDRange.start("evt_", at: cutoff)) AND NOT EXISTS
              (SELECT 1 FROM deliveries d WHERE d.event_id = e.id AND d.status IN \(list: active))
            """
    }

    /// Receipts of `status` older than `cutoff` that made no event. One status at a time: with `IN` over both,
    /// SQLite walked the primary key through every old receipt (0.2 s per batch at 250,000) instead of the
    /// `(status, id)` index.
    private static func eventless(_ status: Normalization.Status, before cutoff: Date) -> SQLQuery {
        """
        r.status = \(status.rawValue) AND r.id < \(IDRange.start("rcp_", at: cutoff))
          AND NOT EXISTS (SELECT 1 FROM events WHERE receipt_id = r.id)
        """
    }

    /// The oldest finished events, their deliveries and attempts, and the receipts left without events; then the
    /// oldest receipts that never made one; all in one transaction, so that the batch waits for the writer once.
    private func pruneEvents(before cutoff: Date, limit: Int) async throws -> PruneBatch {
        let finished = Self.finishedEvents(before: cutoff)
        // Chosen outside the transaction (on SQLite by a reader, which does not hold the writer), then checked
        // again inside it: a redelivery that raced the choice either committed first, and its event is kept, or
        // waits for this commit.
        let candidates = try await database.query("SELECT e.id FROM events e WHERE \(finished) ORDER BY e.id LIMIT \(limit)")
        let chosen = try candidates.map { SQLValue.text(try $0.text("id")) }
        return try await timedTransaction { transaction in
            var counts = PruneCounts()
            let rows = chosen.isEmpty ? [] : try await transaction.query("SELECT id, receipt_id FROM events WHERE id IN \(list: chosen)")
            // Every delivery of the batch by `event_id`, filtered here: asked for active ones only, PostgreSQL read
            // all active deliveries through the status index, full of dead entries (8.8 ms per batch, benchmarks.md).
            let active = Set(Self.attemptable.map(\.rawValue))
            let pinned =
                rows.isEmpty
                ? []
                : try Set(
                    await transaction.query("SELECT event_id, status FROM deliveries WHERE event_id IN \(list: chosen)")
                        .filter { active.contains(try $0.text("status")) }.map { try $0.text("event_id") })
            let kept = try rows.filter { !pinned.contains(try $0.text("id")) }
            if !kept.isEmpty {
                let events = try kept.map { SQLValue.text(try $0.text("id")) }
                let receipts = try Set(kept.map { try $0.text("receipt_id") }).map(SQLValue.text)
                counts.attempts = try await transaction.query(
                    """
                    DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE event_id IN \(list: events))
                    RETURNING delivery_id
                    """
                ).count
                counts.deliveries = try await transaction.query("DELETE FROM deliveries WHERE event_id IN \(list: events) RETURNING id").count
                counts.events = try await transaction.query("DELETE FROM events WHERE id IN \(list: events) RETURNING id").count
                counts.receipts = try await transaction.query(
                    "DELETE FROM receipts WHERE id IN \(list: receipts) AND NOT EXISTS (SELECT 1 FROM events WHERE receipt_id = receipts.id) RETURNING id"
                ).count
            }
            for status in Normalization.Status.eventless {
                counts.receipts += try await transaction.query(
                    "DELETE FROM receipts WHERE id IN (SELECT r.id FROM receipts r WHERE \(Self.eventless(status, before: cutoff)) ORDER BY r.id LIMIT \(limit)) RETURNING id"
                ).count
            }
            return counts
        }
    }

    /// Where body removal has got to: every receipt up to this id has had its body removed already. Kept in
    /// `retention_marks`, so a pass does not read again the rows earlier passes emptied.
    private func bodiesToEmpty(before cutoff: Date) async throws -> SQLQuery {
        let mark = try await database.query("SELECT until_id FROM retention_marks WHERE name = 'receipt_bodies'").first?.text("until_id") ?? ""
        return "id > \(mark) AND id < \(IDRange.start("rcp_", at: cutoff))"
    }

    private func pruneBodies(before cutoff: Date, limit: Int) async throws -> PruneBatch {
        let range = try await bodiesToEmpty(before: cutoff)
        return try await timedTransaction { transaction in
            var counts = PruneCounts()
            let ids = try await transaction.query("SELECT id FROM receipts WHERE \(range) ORDER BY id LIMIT \(limit)").map { try $0.text("id") }
            guard let last = ids.last else { return counts }
            counts.receiptBodies = try await transaction.query(
                """
                UPDATE receipts SET body = substr(body, 1, 0), headers = '{}' WHERE id IN \(list: ids.map(SQLValue.text))
                  AND (length(body) > 0 OR headers <> '{}') RETURNING id
                """
            ).count
            _ = try await transaction.query(
                """
                INSERT INTO retention_marks (name, until_id) VALUES ('receipt_bodies', \(last))
                ON CONFLICT (name) DO UPDATE SET until_id = excluded.until_id
                """
            )
            return counts
        }
    }
}
