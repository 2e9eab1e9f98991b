import NIOCore

/// A delivery a worker has leased: what to send, where, and how many attempts came before.
public struct ClaimedDelivery: Sendable {
    public var id: String
    public var eventID: String
    public var destination: String
    /// Attempts already made (this one is `attempts + 1`).
    public var attempts: Int
    /// Attempts made before the current series: a replay starts a new series, and the retry schedule counts from
    /// there while attempt numbers (and their history) carry on.
    public var seriesStart: Int
    /// The CloudEvent JSON, exactly as stored at ingest.
    public var payload: ByteBuffer
    /// Queued by a bulk replay, so paced (DESIGN.md §8), rather than live work.
    public var replayed: Bool

    public init(id: String, eventID: String, destination: String, attempts: Int, seriesStart: Int, payload: ByteBuffer, replayed: Bool) {
        self.id = id
        self.eventID = eventID
        self.destination = destination
        self.attempts = attempts
        self.seriesStart = seriesStart
        self.payload = payload
        self.replayed = replayed
    }
}
