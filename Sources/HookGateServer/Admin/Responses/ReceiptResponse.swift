import Foundation
import HookGateCore
import NIOCore

/// A raw receipt: the request as it arrived. `body` (base64) only for one receipt, never in a listing.
struct ReceiptResponse: Encodable, Sendable {
    var id: String
    var source: String
    var status: String
    var receivedAt: String
    var dedupeKey: String
    /// Lower-case names; credentials were never stored.
    var headers: StoredJSONObject
    var bodyBytes: Int
    /// Base64 (`Data` encodes so).
    var body: Data?
    var events: [String]

    enum CodingKeys: String, CodingKey {
        case id, source, status, headers, body, events
        case receivedAt = "received_at"
        case dedupeKey = "dedupe_key"
        case bodyBytes = "body_bytes"
    }

    init(_ receipt: StoredReceipt, withBody: Bool) throws {
        id = receipt.id
        source = receipt.sourceID
        status = receipt.status.rawValue
        receivedAt = Timestamp.rfc3339(receipt.receivedAt, milliseconds: true)
        dedupeKey = receipt.dedupeKey
        headers = try StoredJSONObject(text: receipt.headers)
        bodyBytes = receipt.bodyBytes
        body = withBody ? Data(receipt.body.readableBytesView) : nil
        events = receipt.eventIDs
    }
}
