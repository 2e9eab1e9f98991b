import Crypto
import HTTPTypes
import HookGateCore
import Hummingbird

/// Authentication with roles: `viewer` may read (GET), `admin` may do everything.
///
/// A caller is a bearer token (the API, the CLI) or a console session cookie. A cookie is sent by the browser on its
/// own, so a state-changing request that a cookie authenticates must also carry the session's CSRF token in
/// `X-CSRF-Token` and, when the browser says where it comes from, an `Origin` of this listener: a page on another
/// site can do neither.
struct AdminAuthMiddleware: RouterMiddleware {
    typealias Context = AdminRequestContext

    let credentials: AdminCredentials
    let sessions: ConsoleSessions

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let principal: AdminPrincipal
        let reading = request.method == .get || request.method == .head
        if let header = request.headers[.authorization] {
            guard header.hasPrefix("Bearer "), header.count > 7 else { throw Self.unauthorized("send Authorization: Bearer <token>") }
            guard let match = credentials.principal(forToken: header.utf8.dropFirst(7)) else { throw Self.unauthorized("the token is not valid") }
            principal = match
        } else if let id = request.cookies[ConsoleController.sessionCookie]?.value {
            guard let session = sessions.session(id) else { throw Self.unauthorized("the console session has ended; sign in again") }
            if !reading { try ConsoleController.requireSameOrigin(request, session: session) }
            principal = session.principal
        } else {
            throw Self.unauthorized("send Authorization: Bearer <token>")
        }
        if principal.role == .viewer && !reading {
            throw AdminError(status: .forbidden, code: "forbidden", detail: "token \"\(principal.name)\" has the viewer role, which may only read")
        }
        var context = context
        context.principal = principal
        return try await next(request, context)
    }

    private static func unauthorized(_ detail: String) -> AdminError {
        AdminError(status: .unauthorized, code: "unauthorized", detail: detail, headers: [.wwwAuthenticate: "Bearer"])
    }
}
