import NIOCore

/// A stored canonical event.
public struct StoredEvent: Sendable {
    public var id: String
    public var sourceID: String
    public var type: String
    public var receiptID: String
    /// The CloudEvent JSON exactly as it is delivered.
    public var payload: ByteBuffer

    public init(id: String, sourceID: String, type: String, receiptID: String, payload: ByteBuffer) {
        self.id = id
        self.sourceID = sourceID
        self.type = type
        self.receiptID = receiptID
        self.payload = payload
    }
}
