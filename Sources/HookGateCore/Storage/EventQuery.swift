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
    /// Only the events this text names: by HookGate event id, subject, or provider event id.
    public var search: Search?

    /// Text to look an event up by. A provider event id is its receipt's dedupe key, unique within a source, so the
    /// sources to look in are named: that lookup walks the (source, dedupe_key) index once per source.
    public struct Search: Sendable {
        public var text: String
        public var sources: [String]

        public init(_ text: String, sources: [String]) {
            self.text = text
            self.sources = sources
        }
    }

    public init(
        source: String? = nil, type: TypePattern? = nil, since: Date? = nil, until: Date? = nil, limit: Int = 50, after: String? = nil,
        search: Search? = nil
    ) {
        self.source = source
        self.type = type
        self.since = since
        self.until = until
        self.limit = limit
        self.after = after
        self.search = search
    }
}
