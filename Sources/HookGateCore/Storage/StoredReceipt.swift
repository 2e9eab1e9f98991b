import Foundation
import NIOCore

/// The raw request as it arrived.
public struct StoredReceipt: Sendable {
    public var id: String
    public var sourceID: String
    public var dedupeKey: String
    public var status: Normalization.Status
    public var receivedAt: Date
    /// JSON object text.
    public var headers: String
    /// Empty when the query left the bodies out (``ReceiptQuery/includeBodies``).
    public var body: ByteBuffer
    /// The body's size, always there.
    public var bodyBytes: Int
    public var eventIDs: [String]

    public init(
        id: String, sourceID: String, dedupeKey: String, status: Normalization.Status, receivedAt: Date, headers: String, body: ByteBuffer,
        bodyBytes: Int, eventIDs: [String]
    ) {
        self.id = id
        self.sourceID = sourceID
        self.dedupeKey = dedupeKey
        self.status = status
        self.receivedAt = receivedAt
        self.headers = headers
        self.body = body
        self.bodyBytes = bodyBytes
        self.eventIDs = eventIDs
    }
}
