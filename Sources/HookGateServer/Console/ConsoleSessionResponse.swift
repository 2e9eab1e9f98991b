import HookGateCore

/// Who is signed in, until when, and the CSRF token the page sends with each change.
struct ConsoleSessionResponse: Encodable, Sendable {
    var name: String
    var role: String
    var csrfToken: String
    var expiresAt: String

    enum CodingKeys: String, CodingKey {
        case name, role
        case csrfToken = "csrf_token"
        case expiresAt = "expires_at"
    }

    init(_ session: ConsoleSessions.Session) {
        name = session.principal.name
        role = session.principal.role.rawValue
        csrfToken = session.csrfToken
        expiresAt = Timestamp.rfc3339(session.expires, milliseconds: true)
    }
}
