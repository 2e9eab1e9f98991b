import Foundation
import HookGateCore
import NIOCore

/// The rows one ingest batch (or one renormalization) adds to the transactional outbox: receipts, their events and
/// one pending delivery per event destination. Built once, then written row by row as `VALUES` (SQLite, and the
/// portable path) or column by column as arrays (PostgreSQL).
struct OutboxRows: Sendable {
    struct Event: Sendable {
        var id: String
        var receiptID: String
        var seq: Int32
        var source: String
        var type: String
        var subject: String?
        var time: Date
        var payload: ByteBuffer

        var values: [SQLValue] {
            [
                .text(id), .text(receiptID), .int(Int64(seq)), .text(source), .text(type), subject.map(SQLValue.text) ?? .null, .date(time),
                .blob(payload),
            ]
        }
    }

    struct Delivery: Sendable {
        var id: String
        var eventID: String
        var destination: String
        var due: Date
        /// `created_at` and `updated_at`.
        var now: Date

        var values: [SQLValue] {
            [.text(id), .text(eventID), .text(destination), .text(DeliveryStatus.pending.rawValue), .date(due), .date(now), .date(now)]
        }
    }

    static let receiptTable = "receipts (id, source, dedupe_key, status, received_at, headers, body)"
    static let eventTable = "events (id, receipt_id, seq, source, type, subject, time, payload)"
    static let deliveryTable = "deliveries (id, event_id, destination, status, next_attempt_at, created_at, updated_at)"

    private(set) var receipts: [IngestRecord] = []
    private(set) var events: [Event] = []
    private(set) var deliveries: [Delivery] = []
    let now: Date

    init(now: Date = Date()) {
        self.now = now
    }

    /// Every record's receipt, events and deliveries, each delivery's first attempt due its delay after its
    /// receipt's arrival.
    init(_ records: [IngestRecord], now: Date = Date()) {
        self.init(now: now)
        receipts = records
        for record in records {
            for (sequence, event) in record.events.enumerated() {
                add(event, receiptID: record.receiptID, seq: sequence, source: record.sourceID, queuedAt: record.receivedAt)
            }
        }
    }

    /// Adds one event and its pending deliveries, queued at `queued`.
    mutating func add(_ event: IngestRecord.Event, receiptID: String, seq: Int, source: String, queuedAt queued: Date) {
        events.append(
            Event(
                id: event.id, receiptID: receiptID, seq: Int32(seq), source: source, type: event.type, subject: event.subject,
                time: event.time, payload: event.payload
            )
        )
        for planned in event.deliveries {
            deliveries.append(
                Delivery(
                    id: Identifier.make(prefix: "dlv_", now: now), eventID: event.id, destination: planned.destination,
                    due: planned.due(queuedAt: queued), now: now)
            )
        }
    }

    static func receiptValues(_ record: IngestRecord) -> [SQLValue] {
        [
            .text(record.receiptID), .text(record.sourceID), .text(record.dedupeKey), .text(record.status.rawValue), .date(record.receivedAt),
            .text(record.headers), .blob(record.body),
        ]
    }
}

extension SQLDatabase {
    /// The portable way to write an outbox: multi-row INSERTs in one durable transaction, events only for the receipts
    /// that were new and deliveries only for their events. Returns the ids of the receipts stored.
    func writeOutboxInSteps(_ rows: OutboxRows) async throws -> Set<String> {
        try await transaction { transaction in
            var stored = Set<String>()
            for chunk in rows.receipts.chunked(by: 500) {
                let inserted = try await transaction.query(
                    """
                    INSERT INTO \(sql: OutboxRows.receiptTable) VALUES \(rows: chunk.map(OutboxRows.receiptValues))
                    ON CONFLICT (source, dedupe_key) DO NOTHING RETURNING id
                    """
                )
                for row in inserted { stored.insert(try row.text("id")) }
            }
            let storedEvents = rows.events.filter { stored.contains($0.receiptID) }
            let storedEventIDs = Set(storedEvents.map(\.id))
            try await transaction.insert(storedEvents.map(\.values), into: OutboxRows.eventTable)
            try await transaction.insert(rows.deliveries.filter { storedEventIDs.contains($0.eventID) }.map(\.values), into: OutboxRows.deliveryTable)
            return stored
        }
    }
}
