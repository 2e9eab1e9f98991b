import Foundation
import HookGateCore
import NIOCore

/// Read queries for the admin API, newest first with id cursors.
extension SQLEventStore {
    func events(_ query: EventQuery) async throws -> Page<StoredEvent> {
        let range = query.idRange
        let events = try await database.query(
            """
            SELECT id, source, type, receipt_id, payload FROM events WHERE 1 = 1\(.and("source", equals: query.source))\(.and("type", matching: query.type))\
            \(.and("id", .greaterOrEqual, range.lower))\(.and("id", .lessOrEqual, range.upper))\(.and("id", .less, query.after))\
            \(Self.searched(query.search))
            ORDER BY id DESC LIMIT \(query.limit + 1)
            """
        ).map(Self.event)
        return Page(fetched: events, limit: query.limit, id: \.id)
    }

    /// The events a search names, each branch one index lookup: the primary key, `events_subject`, and the receipts'
    /// (source, dedupe_key) index within each named source.
    private static func searched(_ search: EventQuery.Search?) -> SQLQuery {
        guard let search else { return "" }
        let text = search.text.withoutNUL
        let byProviderID: SQLQuery =
            search.sources.isEmpty
            ? ""
            : """
             UNION SELECT events.id FROM receipts JOIN events ON events.receipt_id = receipts.id \
            WHERE receipts.source IN \(list: search.sources.map(SQLValue.text)) AND receipts.dedupe_key = \(text)
            """
        return " AND id IN (SELECT id FROM events WHERE id = \(text) UNION SELECT id FROM events WHERE subject = \(text)\(byProviderID))"
    }

    func event(id: String) async throws -> StoredEvent? {
        try await database.query("SELECT id, source, type, receipt_id, payload FROM events WHERE id = \(id)").first.map(Self.event)
    }

    func deliveries(eventID: String) async throws -> [DeliverySummary] {
        try await database.query("SELECT \(sql: Self.deliveryColumns) FROM deliveries WHERE event_id = \(eventID) ORDER BY destination").map(
            Self.delivery)
    }

    func deliveries(_ query: DeliveryQuery) async throws -> Page<DeliverySummary> {
        let range = query.idRange
        let deliveries = try await database.query(
            """
            SELECT \(sql: Self.deliveryColumns) FROM deliveries WHERE 1 = 1\(.and("status", equals: query.status?.rawValue))\
            \(.and("destination", equals: query.destination))\(.and("event_id", equals: query.eventID))\
            \(.and("id", .greaterOrEqual, range.lower))\(.and("id", .lessOrEqual, range.upper))\(.and("id", .less, query.after))
            ORDER BY id DESC LIMIT \(query.limit + 1)
            """
        ).map(Self.delivery)
        return Page(fetched: deliveries, limit: query.limit, id: \.id)
    }

    func delivery(id: String) async throws -> (summary: DeliverySummary, attempts: [DeliveryAttempt])? {
        // One statement, one snapshot: two reads could see the attempt of an outcome committed between them and the
        // delivery still in flight from before it.
        let rows = try await database.query(
            """
            SELECT \(sql: Self.deliveryColumns), number, started_at, duration_ms, status_code, error, response_snippet
            FROM deliveries LEFT JOIN delivery_attempts ON delivery_attempts.delivery_id = deliveries.id
            WHERE deliveries.id = \(id) ORDER BY number
            """
        )
        guard let first = rows.first else { return nil }
        let attempts = try rows.compactMap { row -> DeliveryAttempt? in
            guard let number = try row.optionalInt("number") else { return nil }
            return DeliveryAttempt(
                number: number, startedAt: try row.date("started_at"), durationMilliseconds: try row.int("duration_ms"),
                statusCode: try row.optionalInt("status_code"), error: try row.optionalText("error"),
                responseSnippet: try row.optionalText("response_snippet")
            )
        }
        return (try Self.delivery(first), attempts)
    }

    private static var deliveryColumns: String {
        "deliveries.id, destination, status, attempts, next_attempt_at, last_status, event_id, series_start, replay_id"
    }

    private static func delivery(_ row: SQLRow) throws -> DeliverySummary {
        let status: DeliveryStatus = try row.constant("status")
        return DeliverySummary(
            id: try row.text("id"),
            eventID: try row.text("event_id"),
            destination: try row.text("destination"),
            status: status,
            attempts: try row.int("attempts"),
            nextAttemptAt: status.awaitsAttempt ? try row.date("next_attempt_at") : nil,
            lastStatus: try row.optionalInt("last_status"),
            seriesStart: try row.int("series_start"),
            replayID: try row.optionalText("replay_id")
        )
    }

    func receipt(eventID: String) async throws -> StoredReceipt? {
        try await receiptsWithEvents(
            "SELECT \(sql: Self.receiptColumns(bodies: true)) FROM receipts WHERE id = (SELECT receipt_id FROM events WHERE id = \(eventID))"
        ).first
    }

    func receipt(id: String) async throws -> StoredReceipt? {
        try await receiptsWithEvents("SELECT \(sql: Self.receiptColumns(bodies: true)) FROM receipts WHERE id = \(id)").first
    }

    func receipts(_ query: ReceiptQuery) async throws -> Page<StoredReceipt> {
        let receipts = try await receiptsWithEvents(
            """
            SELECT \(sql: Self.receiptColumns(bodies: query.includeBodies)) FROM receipts WHERE 1 = 1\(.and("status", equals: query.status?.rawValue))\
            \(.and("source", equals: query.source))\(.and("id", .less, query.after)) ORDER BY id DESC LIMIT \(query.limit + 1)
            """
        )
        return Page(fetched: receipts, limit: query.limit, id: \.id)
    }

    func ping() async throws {
        _ = try await database.query("SELECT 1")
    }

    private static func receiptColumns(bodies: Bool) -> String {
        "id, source, dedupe_key, status, received_at, headers, \(bodies ? "body" : "NULL AS body"), length(body) AS body_bytes"
    }

    private func receiptsWithEvents(_ query: SQLQuery) async throws -> [StoredReceipt] {
        var receipts = try await database.query(query).map { row in
            StoredReceipt(
                id: try row.text("id"),
                sourceID: try row.text("source"),
                dedupeKey: try row.text("dedupe_key"),
                status: try row.constant("status"),
                receivedAt: try row.date("received_at"),
                headers: try row.text("headers"),
                body: try row.optionalBlob("body") ?? ByteBuffer(),
                bodyBytes: try row.int("body_bytes"),
                eventIDs: []
            )
        }
        guard !receipts.isEmpty else { return [] }
        let events = try await database.query(
            "SELECT receipt_id, id FROM events WHERE receipt_id IN \(list: receipts.map { .text($0.id) }) ORDER BY receipt_id, seq"
        )
        var eventIDs: [String: [String]] = [:]
        for row in events { eventIDs[try row.text("receipt_id"), default: []].append(try row.text("id")) }
        for index in receipts.indices { receipts[index].eventIDs = eventIDs[receipts[index].id] ?? [] }
        return receipts
    }

    private static func event(_ row: SQLRow) throws -> StoredEvent {
        StoredEvent(
            id: try row.text("id"), sourceID: try row.text("source"), type: try row.text("type"), receiptID: try row.text("receipt_id"),
            payload: try row.blob("payload")
        )
    }
}
