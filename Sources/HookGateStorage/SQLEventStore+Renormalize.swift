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
            var added = OutboxRows()
            for (sequence, event) in events.enumerated() {
                guard sequence >= existing else {
                    // The event keeps its id (consumers know it as webhook-id); only what it says changes.
                    var update = SQLStatement(dialect, "UPDATE events SET type = ")
                    update.bind(event.type)
                    update.append(", subject = ")
                    update.bind(event.subject.map(SQLValue.text) ?? .null)
                    update.append(", time = ")
                    update.bind(.date(event.time))
                    update.append(", payload = ")
                    update.bind(.blob(event.payload))
                    update.append(" WHERE id = ")
                    update.bind(event.id)
                    _ = try await transaction.query(update)
                    continue
                }
                added.add(event, receiptID: receiptID, seq: sequence, source: source ?? "", queuedAt: added.now)
            }
            try await transaction.insert(added.events.map(\.values), into: OutboxRows.eventTable, dialect: dialect)
            try await transaction.insert(added.deliveries.map(\.values), into: OutboxRows.deliveryTable, dialect: dialect)
        }
    }
}
