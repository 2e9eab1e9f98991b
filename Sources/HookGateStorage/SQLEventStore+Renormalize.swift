import Foundation
import HookGateCore

/// Rewriting stored receipts' normalization after an upgrade (`hookgate renormalize`).
extension SQLEventStore {
    func renormalize(receiptID: String, status: Normalization.Status, events: [IngestRecord.Event], existing: Int) async throws {
        try await database.transaction { transaction in
            let receipt = try await transaction.query("UPDATE receipts SET status = \(status) WHERE id = \(receiptID) RETURNING source")
            let source = try receipt.first?.text("source") ?? ""
            var added = OutboxRows()
            for (sequence, event) in events.enumerated() {
                guard sequence >= existing else {
                    // The event keeps its id (consumers know it as webhook-id); only what it says changes.
                    _ = try await transaction.query(
                        """
                        UPDATE events SET type = \(event.type), subject = \(event.subject), time = \(event.time), payload = \(event.payload)
                        WHERE id = \(event.id)
                        """
                    )
                    continue
                }
                added.add(event, receiptID: receiptID, seq: sequence, source: source, queuedAt: added.now)
            }
            try await transaction.insert(added.events.map(\.values), into: OutboxRows.eventTable)
            try await transaction.insert(added.deliveries.map(\.values), into: OutboxRows.deliveryTable)
        }
    }
}
