import Foundation

/// Filters for listing events, newest first.
public struct EventQuery: Sendable {
    public var source: String?
    public var type: TypePattern?
    public var since: Date?
    public var until: Date?
    public var limit: Int
    /// The id of the last event of the previous page.
    public var after: String?

    public init(source: String? = nil, type: TypePattern? = nil, since: Date? = nil, until: Date? = nil, limit: Int = 50, after: String? = nil) {
        self.source = source
        self.type = type
        self.since = since
        self.until = until
        self.limit = limit
        self.after = after
    }
}
