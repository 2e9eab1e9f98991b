import Foundation
import HookGateCore
import NIOCore
import PostgresNIO

/// An ingest batch's outbox in one statement whose text never changes: each column is bound as one array and
/// `unnest` turns the arrays back into rows. Prepared once per connection, so the server parses and plans it once
/// rather than once per batch, and a batch binds 21 parameters whatever its size (a multi-row `VALUES` list bound
/// seven or eight per row and was a new statement each time: docs/benchmarks.md).
///
/// Data-modifying CTEs make it one atomic statement: events go in only for receipts that were new, deliveries only
/// for those events, and it returns the new receipts' ids. When it adds deliveries it also `NOTIFY`s the delivery
/// workers of every instance, inside the same transaction: the notice goes out at the commit that makes the
/// deliveries visible, and costs no round trip or transaction of its own (a separate `pg_notify` after each batch
/// did: docs/benchmarks.md). Text from request content is made storable as every bind is (``Swift/String/withoutNUL``),
/// since this statement binds its own arrays. PostgresNIO's arrays cannot hold NULL, so the optional subject travels with a flag
/// saying whether it is there.
struct PostgresOutboxStatement: PostgresPreparedStatement {
    typealias Row = String

    static let name = "hookgate_outbox_v2"

    static let sql = """
        WITH r AS (
          INSERT INTO receipts (id, source, dedupe_key, status, received_at, headers, body)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::bytea[])
            ON CONFLICT (source, dedupe_key) DO NOTHING RETURNING id
        ), e AS (
          INSERT INTO events (id, receipt_id, seq, source, type, subject, time, payload)
            SELECT v.id, v.receipt_id, v.seq, v.source, v.type, CASE WHEN v.has_subject THEN v.subject END, v.time, v.payload
            FROM unnest($8::text[], $9::text[], $10::int4[], $11::text[], $12::text[], $13::text[], $14::bool[], $15::timestamptz[], $16::bytea[])
              AS v (id, receipt_id, seq, source, type, subject, has_subject, time, payload)
            WHERE v.receipt_id IN (SELECT id FROM r) RETURNING id
        ), d AS (
          INSERT INTO deliveries (id, event_id, destination, status, next_attempt_at, created_at, updated_at)
            SELECT v.id, v.event_id, v.destination, 'pending', v.due, $21::timestamptz, $21::timestamptz
            FROM unnest($17::text[], $18::text[], $19::text[], $20::timestamptz[]) AS v (id, event_id, destination, due)
            WHERE v.event_id IN (SELECT id FROM e) RETURNING id
        ), n AS (
          SELECT pg_notify('\(NotificationChannel.newDeliveries)', '') FROM (SELECT 1 FROM d LIMIT 1) AS any_delivery
        )
        -- Joined to the one-row count, so that the notice's CTE runs (an unreferenced SELECT in a WITH never does).
        SELECT id FROM r, (SELECT count(*) FROM n) AS announced
        """

    let rows: OutboxRows

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 21)
        let receipts = rows.receipts
        bindings.append(receipts.map(\.receiptID))
        bindings.append(receipts.map(\.sourceID))
        bindings.append(receipts.map(\.dedupeKey.withoutNUL))
        bindings.append(receipts.map(\.status.rawValue))
        bindings.append(receipts.map { Timestamp.saturated($0.receivedAt) })
        bindings.append(receipts.map(\.headers.withoutNUL))
        bindings.append(receipts.map(\.body))
        let events = rows.events
        bindings.append(events.map(\.id))
        bindings.append(events.map(\.receiptID))
        bindings.append(events.map(\.seq))
        bindings.append(events.map(\.source))
        bindings.append(events.map(\.type.withoutNUL))
        bindings.append(events.map { $0.subject?.withoutNUL ?? "" })
        bindings.append(events.map { $0.subject != nil })
        bindings.append(events.map { Timestamp.saturated($0.time) })
        bindings.append(events.map(\.payload))
        let deliveries = rows.deliveries
        bindings.append(deliveries.map(\.id))
        bindings.append(deliveries.map(\.eventID))
        bindings.append(deliveries.map(\.destination))
        bindings.append(deliveries.map { Timestamp.saturated($0.due) })
        bindings.append(rows.now)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> String {
        try row.decode(String.self)
    }
}
