import Foundation
import HookGateCore
import Hummingbird
import HummingbirdCore

/// Query parameters shared by the admin list endpoints, validated with errors that say what was wrong.
struct ListParameters {
    let limit: Int
    let cursor: String?
    let query: URI

    init(_ request: Request) throws {
        query = request.uri
        let parameters = request.uri.queryParameters
        if let text = parameters.get("limit") {
            guard let limit = Int(text), (1...500).contains(limit) else { throw AdminError.badRequest("limit must be a whole number from 1 to 500") }
            self.limit = limit
        } else {
            self.limit = 50
        }
        cursor = parameters.get("cursor")
    }

    func string(_ name: String) -> String? {
        query.queryParameters.get(name).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// An RFC 3339 time or a duration before now (`2h`, `30m`).
    func time(_ name: String, now: Date = Date()) throws -> Date? {
        try string(name).map { try Self.time($0, name: name, now: now) }
    }

    /// Parses `text`, the value of `name`, as an RFC 3339 time or a duration before `now`.
    static func time(_ text: String, name: String, now: Date = Date()) throws -> Date {
        if let duration = DurationText.parse(text) {
            return now.addingTimeInterval(-duration.timeInterval)
        }
        guard let date = Timestamp.parse(text) else {
            throw AdminError.badRequest("\(name) must be an RFC 3339 time (2026-11-21T10:15:00Z) or a duration such as 2h")
        }
        return date
    }
}
