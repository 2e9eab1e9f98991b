import HookGateCore

/// One HTTP attempt of a delivery: when it started, how long it took, the status or error, the response's start.
struct AttemptResponse: Encodable, Sendable {
    var number: Int
    var startedAt: String
    var durationMilliseconds: Int
    @ExplicitNull var statusCode: Int?
    @ExplicitNull var error: String?
    @ExplicitNull var responseSnippet: String?

    enum CodingKeys: String, CodingKey {
        case number, error
        case startedAt = "started_at"
        case durationMilliseconds = "duration_ms"
        case statusCode = "status_code"
        case responseSnippet = "response_snippet"
    }

    init(_ attempt: DeliveryAttempt) {
        number = attempt.number
        startedAt = Timestamp.rfc3339(attempt.startedAt, milliseconds: true)
        durationMilliseconds = attempt.durationMilliseconds
        statusCode = attempt.statusCode
        error = attempt.error
        responseSnippet = attempt.responseSnippet
    }
}
