/// A list page, the one shape every admin list has: `{"data":[…],"next_cursor":…}`.
struct ListPage<Item: Encodable & Sendable>: Encodable, Sendable {
    var data: [Item]
    /// Pass back as `cursor` for the next page; null on the last.
    @ExplicitNull var nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case data
        case nextCursor = "next_cursor"
    }
}
