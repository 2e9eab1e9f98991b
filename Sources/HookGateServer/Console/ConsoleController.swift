import Crypto
import Foundation
import HTTPTypes
import HookGateCore
import Hummingbird
import NIOCore

/// The on-call console (DESIGN.md §12) on the admin listener: one page and its script and styles, embedded in the
/// binary, served for every `/console` path so that deep links open the right screen; and the session endpoints the
/// page signs in and out with. Everything the console shows or does goes through the `/v1` API.
struct ConsoleController {
    /// The session cookie: `HttpOnly` (no script reads it), `SameSite=Strict` (no other site's page sends it).
    static let sessionCookie = "hookgate_console"

    let credentials: AdminCredentials
    let sessions: ConsoleSessions
    /// `Secure` cookies: when the admin listener speaks TLS.
    let secureCookies: Bool

    /// No inline script or style, no `eval`, nothing from elsewhere, never framed, and no URL leaves in a referrer.
    static let securityHeaders: HTTPFields = [
        HTTPField.Name("Content-Security-Policy")!:
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        HTTPField.Name("X-Frame-Options")!: "DENY",
        HTTPField.Name("Referrer-Policy")!: "no-referrer",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        .cacheControl: "no-store",
    ]

    func register(on router: Router<AdminRequestContext>) {
        router.get("console") { _, _ in Self.asset(PackageResources.index_html, type: "text/html; charset=utf-8") }
        router.get("console/**") { _, _ in Self.asset(PackageResources.index_html, type: "text/html; charset=utf-8") }
        router.get("console/assets/app.js") { _, _ in Self.asset(PackageResources.app_js, type: "text/javascript; charset=utf-8") }
        router.get("console/assets/app.css") { _, _ in Self.asset(PackageResources.app_css, type: "text/css; charset=utf-8") }
        router.get("console/assets/favicon.svg") { _, _ in Self.asset(PackageResources.favicon_svg, type: "image/svg+xml") }
        router.post("console/session", use: signIn)
        router.get("console/session", use: current)
        router.delete("console/session", use: signOut)
    }

    private static func asset(_ bytes: [UInt8], type: String) -> Response {
        var headers = securityHeaders
        headers[.contentType] = type
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// `{"token": …}` with an admin or viewer token: a session cookie, and the CSRF token for the page's requests.
    @Sendable func signIn(_ request: Request, context: AdminRequestContext) async throws -> Response {
        // A sign-in posted from another site would sign the browser in as the attacker.
        try Self.requireSameOrigin(request)
        let body = try await ConsoleSignInRequest.read(request)
        guard let principal = credentials.principal(forToken: body.token.utf8) else {
            throw AdminError(status: .unauthorized, code: "unauthorized", detail: "the token is not valid")
        }
        let (id, session) = sessions.create(for: principal)
        var response = try Response.encoded(.ok, ConsoleSessionResponse(session))
        response.setCookie(
            Cookie(
                name: Self.sessionCookie, value: id, maxAge: Int(ConsoleSessions.lifetime), path: "/", secure: secureCookies, httpOnly: true,
                sameSite: .strict))
        Self.securityHeaders.forEach { response.headers[$0.name] = $0.value }
        return response
    }

    /// Who is signed in, and the CSRF token again (the page keeps it in memory only).
    @Sendable func current(_ request: Request, context: AdminRequestContext) async throws -> Response {
        guard let id = request.cookies[Self.sessionCookie]?.value, let session = sessions.session(id) else {
            throw AdminError(status: .unauthorized, code: "unauthorized", detail: "not signed in")
        }
        return try .encoded(.ok, ConsoleSessionResponse(session))
    }

    /// Ends the session; the cookie is cleared whether or not it was still live.
    @Sendable func signOut(_ request: Request, context: AdminRequestContext) async throws -> Response {
        if let id = request.cookies[Self.sessionCookie]?.value, let session = sessions.session(id) {
            try Self.requireSameOrigin(request, session: session)
            sessions.end(id)
        }
        var response = Response(status: .noContent)
        response.setCookie(
            Cookie(name: Self.sessionCookie, value: "", maxAge: 0, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    /// Refuses a request a browser says comes from another origin; with a `session`, also one without its CSRF token.
    static func requireSameOrigin(_ request: Request, session: ConsoleSessions.Session? = nil) throws {
        if let origin = request.headers[.origin] {
            let host = request.head.authority ?? ""
            guard !host.isEmpty, origin == "http://" + host || origin == "https://" + host else {
                throw AdminError(status: .forbidden, code: "forbidden", detail: "a request from another origin (\(origin)) is refused")
            }
        }
        if let session {
            let presented = request.headers[HTTPField.Name("X-CSRF-Token")!] ?? ""
            guard SHA256.hash(data: Array(presented.utf8)) == SHA256.hash(data: Array(session.csrfToken.utf8)) else {
                throw AdminError(status: .forbidden, code: "forbidden", detail: "send the session's X-CSRF-Token with every change")
            }
        }
    }
}
