/// One page of a list; `nextCursor` is nil on the last page.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextCursor: String?

    /// A page of at most `limit` items from `fetched`, which holds one more than a page when another page follows.
    public init(fetched: [Item], limit: Int, id: (Item) -> String) {
        items = Array(fetched.prefix(limit))
        nextCursor = fetched.count > limit ? items.last.map(id) : nil
    }
}
