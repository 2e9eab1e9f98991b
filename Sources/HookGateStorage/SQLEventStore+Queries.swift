import Foundation
import HookGateCore
import NIOCore

/// Read queries for the admin API, newest first with id cursors.
extension SQLEventStore {
    func events(_ query: EventQuery) async throws -> Page<StoredEvent> {
        var statement = SQLStatement(database.dialect, "SELECT id, source, type, receipt_id, payload FROM events WHERE 1 = 1")
        statement.and("source =", query.source)
        statement.and("type", matching: query.type)
        let range = query.idRange
        statement.and("id >=", range.lower)
        statement.and("id <=", range.upper)
        statement.and("id <", query.after)
        statement.append(" ORDER BY id DESC LIMIT \(query.limit + 1)")
        let events = try await database.query(statement).map(Self.event)
        return Page(fetched: events, limit: query.limit, id: \.id)
    }

    func event(id: String) async throws -> StoredEvent? {
        var statement = SQLStatement(database.dialect, "SELECT id, source, type, receipt_id, payload FROM events WHERE id = ")
        statement.bind(id)
        return try await database.query(statement).first.map(Self.event)
    }

    func deliveries(eventID: String) async throws -> [DeliverySummary] {
        var statement = SQLStatement(database.dialect, "SELECT \(Self.deliveryColumns) FROM deliveries WHERE event_id = ")
        statement.bind(eventID)
        statement.append(" ORDER BY destination")
        return try await database.query(statement).map(Self.delivery)
    }

    func deliveries(_ query: DeliveryQuery) async throws -> Page<DeliverySummary> {
        var statement = SQLStatement(database.dialect, "SELECT \(Self.deliveryColumns) FROM deliveries WHERE 1 = 1")
        statement.and("status =", query.status)
        statement.and("destination =", query.destination)
        statement.and("event_id =", query.eventID)
        let range = query.idRange
        statement.and("id >=", range.lower)
        statement.and("id <=", range.upper)
        statement.and("id <", query.after)
        statement.append(" ORDER BY id DESC LIMIT \(query.limit + 1)")
        return Page(fetched: try await database.query(statement).map(Self.delivery), limit: query.limit, id: \.id)
    }

    func delivery(id: String) async throws -> (summary: DeliverySummary, attempts: [DeliveryAttempt])? {
        // One statement, one snapshot: two reads could see the attempt of an outcome committed between them and the
        // delivery still in flight from before it.
        var statement = SQLStatement(
            database.dialect,
            "SELECT \(Self.deliveryColumns), number, started_at, duration_ms, status_code, error, response_snippet FROM deliveries "
                + "LEFT JOIN delivery_attempts ON delivery_attempts.delivery_id = deliveries.id WHERE deliveries.id = "
        )
        statement.bind(id)
        statement.append(" ORDER BY number")
        let rows = try await database.query(statement)
        guard let first = rows.first else { return nil }
        let attempts = try rows.compactMap { row -> DeliveryAttempt? in
            guard let number = try row.optionalInt(7) else { return nil }
            return DeliveryAttempt(
                number: Int(number), startedAt: try row.date(8), durationMilliseconds: Int(try row.int(9)),
                statusCode: try row.optionalInt(10).map { Int($0) }, error: try row.optionalText(11), responseSnippet: try row.optionalText(12)
            )
        }
        return (try Self.delivery(first), attempts)
    }

    private static var deliveryColumns: String { "id, destination, status, attempts, next_attempt_at, last_status, event_id" }

    private static func delivery(_ row: SQLRow) throws -> DeliverySummary {
        let status = try row.text(2)
        return DeliverySummary(
            id: try row.text(0),
            eventID: try row.text(6),
            destination: try row.text(1),
            status: status,
            attempts: Int(try row.int(3)),
            nextAttemptAt: ["pending", "failed"].contains(status) ? try row.date(4) : nil,
            lastStatus: try row.optionalInt(5).map { Int($0) }
        )
    }

    func receipt(eventID: String) async throws -> StoredReceipt? {
        var statement = SQLStatement(database.dialect, "SELECT \(Self.receiptColumns(bodies: true)) FROM receipts WHERE id = (SELECT receipt_id FROM events WHERE id = ")
        statement.bind(eventID)
        statement.append(")")
        return try await receiptsWithEvents(statement).first
    }

    func receipt(id: String) async throws -> StoredReceipt? {
        var statement = SQLStatement(database.dialect, "SELECT \(Self.receiptColumns(bodies: true)) FROM receipts WHERE id = ")
        statement.bind(id)
        return try await receiptsWithEvents(statement).first
    }

    func receipts(_ query: ReceiptQuery) async throws -> Page<StoredReceipt> {
        var statement = SQLStatement(database.dialect, "SELECT \(Self.receiptColumns(bodies: query.includeBodies)) FROM receipts WHERE 1 = 1")
        statement.and("status =", query.status?.rawValue)
        statement.and("source =", query.source)
        statement.and("id <", query.after)
        statement.append(" ORDER BY id DESC LIMIT \(query.limit + 1)")
        return Page(fetched: try await receiptsWithEvents(statement), limit: query.limit, id: \.id)
    }

    func ping() async throws {
        _ = try await database.query(SQLStatement(database.dialect, "SELECT 1"))
    }

    private static func receiptColumns(bodies: Bool) -> String {
        "id, source, dedupe_key, status, received_at, headers, \(bodies ? "body" : "NULL"), length(body)"
    }

    private func receiptsWithEvents(_ statement: SQLStatement) async throws -> [StoredReceipt] {
        var receipts = try await database.query(statement).map { row in
            StoredReceipt(
                id: try row.text(0),
                sourceID: try row.text(1),
                dedupeKey: try row.text(2),
                status: Normalization.Status(rawValue: try row.text(3)) ?? .unparsed,
                receivedAt: try row.date(4),
                headers: try row.text(5),
                body: row.values[6].isNull ? ByteBuffer() : try row.blob(6),
                bodyBytes: Int(try row.int(7)),
                eventIDs: []
            )
        }
        guard !receipts.isEmpty else { return [] }
        var lookup = SQLStatement(database.dialect, "SELECT receipt_id, id FROM events WHERE receipt_id IN ")
        lookup.bindRow(receipts.map { .text($0.id) })
        lookup.append(" ORDER BY receipt_id, seq")
        var eventIDs: [String: [String]] = [:]
        for row in try await database.query(lookup) { eventIDs[try row.text(0), default: []].append(try row.text(1)) }
        for index in receipts.indices { receipts[index].eventIDs = eventIDs[receipts[index].id] ?? [] }
        return receipts
    }

    private static func event(_ row: SQLRow) throws -> StoredEvent {
        StoredEvent(id: try row.text(0), sourceID: try row.text(1), type: try row.text(2), receiptID: try row.text(3), payload: try row.blob(4))
    }
}
