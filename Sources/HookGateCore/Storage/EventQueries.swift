import Foundation

/// The admin API's reads: events, receipts, deliveries and their attempts, newest first, a bounded page at a time.
public protocol EventQueries: Sendable {
    func events(_ query: EventQuery) async throws -> Page<StoredEvent>
    func event(id: String) async throws -> StoredEvent?
    func deliveries(eventID: String) async throws -> [DeliverySummary]
    /// One delivery and every attempt, oldest first, read in one statement: the status and the attempts agree even
    /// while an outcome is being recorded.
    func delivery(id: String) async throws -> (summary: DeliverySummary, attempts: [DeliveryAttempt])?
    func deliveries(_ query: DeliveryQuery) async throws -> Page<DeliverySummary>
    func receipt(eventID: String) async throws -> StoredReceipt?
    /// One receipt by its own id, with its body (an unparsed receipt has no event to find it by).
    func receipt(id: String) async throws -> StoredReceipt?
    func receipts(_ query: ReceiptQuery) async throws -> Page<StoredReceipt>

    /// The last successful and the last failed attempt per destination.
    func lastAttempts() async throws -> [String: (success: Date?, failure: Date?)]
}
