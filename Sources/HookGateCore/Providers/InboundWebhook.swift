import Foundation
import HTTPTypes
import NIOCore

/// A provider's request as it arrived: exact body bytes and headers, for verification and normalization.
public struct InboundWebhook: Sendable {
    public var sourceID: String
    public var headers: HTTPFields
    public var body: ByteBuffer
    /// Path and query exactly as received (`/webhooks/twilio?foo=1`), for providers that sign the URL.
    public var pathAndQuery: String
    public var receivedAt: Date

    public init(sourceID: String, headers: HTTPFields, body: ByteBuffer, pathAndQuery: String, receivedAt: Date) {
        self.sourceID = sourceID
        self.headers = headers
        self.body = body
        self.pathAndQuery = pathAndQuery
        self.receivedAt = receivedAt
    }
}
