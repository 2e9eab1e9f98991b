/// Filters for listing receipts, newest first.
public struct ReceiptQuery: Sendable {
    public var status: Normalization.Status?
    public var source: String?
    public var limit: Int
    public var after: String?
    /// False for listings: a page of 500 receipts of up to 256 MiB each must not be read into memory to be shown.
    public var includeBodies: Bool

    public init(status: Normalization.Status? = nil, source: String? = nil, limit: Int = 50, after: String? = nil, includeBodies: Bool = true) {
        self.status = status
        self.source = source
        self.limit = limit
        self.after = after
        self.includeBodies = includeBodies
    }
}
