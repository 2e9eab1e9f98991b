import Foundation

/// One HTTP attempt, as recorded in `delivery_attempts`.
public struct DeliveryAttempt: Sendable, Equatable {
    public var number: Int
    public var startedAt: Date
    public var durationMilliseconds: Int
    public var statusCode: Int?
    /// The kind of failure when there was no HTTP answer (`timeout`, `connection`, `blocked_address`, …).
    public var error: String?
    /// The start of the response body, at most 4 KiB.
    public var responseSnippet: String?

    public init(number: Int, startedAt: Date, durationMilliseconds: Int, statusCode: Int?, error: String?, responseSnippet: String?) {
        self.number = number
        self.startedAt = startedAt
        self.durationMilliseconds = durationMilliseconds
        self.statusCode = statusCode
        self.error = error
        self.responseSnippet = responseSnippet
    }
}
