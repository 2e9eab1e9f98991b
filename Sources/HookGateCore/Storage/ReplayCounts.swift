/// What a bulk replay matched and queued.
public struct ReplayCounts: Sendable, Equatable {
    public var matched: Int
    public var queued: Int

    public init(matched: Int, queued: Int) {
        self.matched = matched
        self.queued = queued
    }
}
