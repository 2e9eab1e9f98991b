import Crypto
import HTTPTypes
import HookGateCore
import Hummingbird

/// Bearer-token authentication with roles: `viewer` may read (GET), `admin` may do everything.
///
/// Tokens are compared as SHA-256 digests in constant time, against every configured token, so neither timing
/// nor early exit tells how close a guess was.
struct AdminAuthMiddleware: RouterMiddleware {
    typealias Context = AdminRequestContext

    private struct Credential {
        let digest: SHA256.Digest
        let principal: AdminPrincipal
    }

    private let credentials: [Credential]

    init(tokens: [HookGateConfiguration.AdminToken]) {
        credentials = tokens.map {
            Credential(digest: SHA256.hash(data: Array($0.token.utf8)), principal: AdminPrincipal(name: $0.name, role: $0.role))
        }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "), header.count > 7 else {
            throw AdminError(
                status: .unauthorized, code: "unauthorized", detail: "send Authorization: Bearer <token>", headers: [.wwwAuthenticate: "Bearer"])
        }
        let presented = SHA256.hash(data: Array(header.utf8.dropFirst(7)))
        var match: AdminPrincipal?
        for credential in credentials where credential.digest == presented {
            match = credential.principal
        }
        guard let principal = match else {
            throw AdminError(status: .unauthorized, code: "unauthorized", detail: "the token is not valid", headers: [.wwwAuthenticate: "Bearer"])
        }
        if principal.role == .viewer && request.method != .get && request.method != .head {
            throw AdminError(status: .forbidden, code: "forbidden", detail: "token \"\(principal.name)\" has the viewer role, which may only read")
        }
        var context = context
        context.principal = principal
        return try await next(request, context)
    }
}
