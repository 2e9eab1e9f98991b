import Foundation
import HookGateCore

/// Rewriting stored receipts' normalization after an upgrade (`hookgate renormalize`).
extension SQLEventStore {
    func renormalize(receiptID: String, status: Normalization.Status, events: [IngestRecord.Event], existing: Int) async throws {
        let dialect = database.dialect
        try await database.transaction { transaction in
            var receipt = SQLStatement(dialect, "UPDATE receipts SET status = ")
            receipt.bind(status.rawValue)
            receipt.append(" WHERE id = ")
            receipt.bind(receiptID)
            _ = try await transaction.query(receipt)

            var source: String?
            if events.count > existing {
                var read = SQLStatement(dialect, "SELECT source FROM receipts WHERE id = ")
                read.bind(receiptID)
                source = try await transaction.query(read).first?.text(0)
            }
            let now = Date()
            var eventRows: [[SQLValue]] = []
            var deliveryRows: [[SQLValue]] = []
            for (sequence, event) in events.enumerated() {
                let subject = event.subject.map { SQLValue.text(Self.storableText($0)) } ?? .null
                guard sequence >= existing else {
                    // The event keeps its id (consumers know it as webhook-id); only what it says changes.
                    var update = SQLStatement(dialect, "UPDATE events SET type = ")
                    update.bind(event.type)
                    update.append(", subject = ")
                    update.bind(subject)
                    update.append(", time = ")
                    update.bind(.date(event.time))
                    update.append(", payload = ")
                    update.bind(.blob(event.payload))
                    update.append(" WHERE id = ")
                    update.bind(event.id)
                    _ = try await transaction.query(update)
                    continue
                }
                eventRows.append([
                    .text(event.id), .text(receiptID), .int(Int64(sequence)), .text(source ?? ""), .text(event.type), subject, .date(event.time),
                    .blob(event.payload),
                ])
                for destination in event.destinations {
                    deliveryRows.append([
                        .text(Identifier.make(prefix: "dlv_", now: now)), .text(event.id), .text(destination), .text("pending"), .date(now), .date(now),
                        .date(now),
                    ])
                }
            }
            try await Self.insert(eventRows, into: Self.eventTable, dialect: dialect, transaction: transaction)
            try await Self.insert(deliveryRows, into: Self.deliveryTable, dialect: dialect, transaction: transaction)
        }
    }
}
