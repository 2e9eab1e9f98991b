import Foundation
import HookGateTesting
import NIOHTTP1
import Testing

/// The console's page and sessions over real sockets (DESIGN.md §12): the page and its deep links carry a strict
/// policy, a sign-in sets an HttpOnly, SameSite=Strict cookie that then authenticates the API, and a change made with
/// that cookie needs the session's CSRF token and this listener's origin.
@Suite("Console sessions")
struct ConsoleSessionTests {
    private func signIn(_ gateway: RunningGateway, token: String) async throws -> (cookie: String, csrf: String, setCookie: String) {
        let answer = try await gateway.adminRequest(
            "/console/session", method: .POST, headers: [("Content-Type", "application/json")], body: #"{"token":"\#(token)"}"#)
        #expect(answer.status == 200, "\(answer.body)")
        let setCookie = try #require(answer.headers.first(name: "Set-Cookie"))
        let pair = try #require(setCookie.split(separator: ";").first.map(String.init))
        let session = try #require(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])
        return (pair, try #require(session["csrf_token"] as? String), setCookie)
    }

    @Test("the page and every deep link are served with a strict policy; no token is needed to load it")
    func page() async throws {
        try await withGateway(try testConfiguration(backend: .sqlite)) { gateway in
            for path in ["/console", "/console/events/evt_01JAAAAAAAAAAAAAAAAAAAAAAA", "/console/deliveries?status=dead"] {
                let page = try await gateway.adminRequest(path)
                #expect(page.status == 200 && page.body.contains(#"<script type="module" src="/console/assets/app.js">"#), "\(path)")
                let policy = try #require(page.headers.first(name: "Content-Security-Policy"))
                #expect(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'") && !policy.contains("unsafe"))
                #expect(page.headers.first(name: "X-Frame-Options") == "DENY" && page.headers.first(name: "Referrer-Policy") == "no-referrer")
            }
            let script = try await gateway.adminRequest("/console/assets/app.js")
            #expect(script.status == 200 && script.headers.first(name: "Content-Type")?.hasPrefix("text/javascript") == true)
            #expect(!script.body.contains("innerHTML") && !script.body.contains("eval("), "values go in as text, never as markup")
        }
    }

    @Test("a sign-in cookie is HttpOnly and SameSite=Strict, authenticates reads, and ends at sign-out")
    func cookie() async throws {
        try await withGateway(try testConfiguration(backend: .sqlite)) { gateway in
            let wrong = try await gateway.adminRequest(
                "/console/session", method: .POST, headers: [("Content-Type", "application/json")], body: #"{"token":"not-a-token-at-all"}"#)
            #expect(wrong.status == 401 && wrong.headers.first(name: "Set-Cookie") == nil)
            let (cookie, csrf, setCookie) = try await signIn(gateway, token: RunningGateway.viewerToken)
            let attributes = setCookie.lowercased()
            #expect(attributes.contains("httponly") && attributes.contains("samesite=strict") && attributes.contains("max-age=43200"), "\(setCookie)")
            #expect(attributes.contains("path=/") && !attributes.contains("secure"), "no TLS on the admin listener, so no Secure")
            #expect(try await gateway.adminRequest("/v1/destinations", headers: [("Cookie", cookie)]).status == 200)
            let me = try await gateway.adminRequest("/console/session", headers: [("Cookie", cookie)])
            #expect(me.status == 200 && me.body.contains(#""role":"viewer""#) && me.body.contains(csrf))
            // A viewer may not change anything, with or without the CSRF token.
            let replay = try await gateway.adminRequest(
                "/v1/replays", method: .POST, headers: [("Cookie", cookie), ("X-CSRF-Token", csrf), ("Content-Type", "application/json")],
                body: #"{"filter":{"status":"dead"},"dry_run":true}"#)
            #expect(replay.status == 403 && replay.body.contains("viewer"))
            #expect(
                try await gateway.adminRequest("/console/session", method: .DELETE, headers: [("Cookie", cookie)]).status == 403,
                "sign-out needs the CSRF token too")
            let out = try await gateway.adminRequest("/console/session", method: .DELETE, headers: [("Cookie", cookie), ("X-CSRF-Token", csrf)])
            #expect(out.status == 204 && out.headers.first(name: "Set-Cookie")?.lowercased().contains("max-age=0") == true)
            #expect(try await gateway.adminRequest("/v1/destinations", headers: [("Cookie", cookie)]).status == 401, "the session has ended")
        }
    }

    @Test("a change with the cookie needs the CSRF token and this origin; an admin's then goes through and is audited")
    func forgery() async throws {
        try await withGateway(try testConfiguration(backend: .sqlite)) { gateway in
            let (cookie, csrf, _) = try await signIn(gateway, token: RunningGateway.adminToken)
            let body = #"{"filter":{"status":"dead"},"dry_run":true}"#
            let json = ("Content-Type", "application/json")
            let noToken = try await gateway.adminRequest("/v1/replays", method: .POST, headers: [("Cookie", cookie), json], body: body)
            #expect(noToken.status == 403 && noToken.body.contains("X-CSRF-Token"))
            let wrongToken = try await gateway.adminRequest(
                "/v1/replays", method: .POST, headers: [("Cookie", cookie), ("X-CSRF-Token", String(csrf.reversed())), json], body: body)
            #expect(wrongToken.status == 403)
            let elsewhere = try await gateway.adminRequest(
                "/v1/replays", method: .POST, headers: [("Cookie", cookie), ("X-CSRF-Token", csrf), ("Origin", "https://evil.example"), json],
                body: body)
            #expect(elsewhere.status == 403 && elsewhere.body.contains("another origin"))
            let origin = "http://" + gateway.adminURL.dropFirst("http://".count)
            let allowed = try await gateway.adminRequest(
                "/v1/replays", method: .POST, headers: [("Cookie", cookie), ("X-CSRF-Token", csrf), ("Origin", origin), json], body: body)
            #expect(allowed.status == 200 && allowed.body.contains(#""dry_run":true"#), "\(allowed.body)")
            let crossSiteSignIn = try await gateway.adminRequest(
                "/console/session", method: .POST, headers: [json, ("Origin", "https://evil.example")],
                body: #"{"token":"\#(RunningGateway.adminToken)"}"#)
            #expect(crossSiteSignIn.status == 403 && crossSiteSignIn.headers.first(name: "Set-Cookie") == nil)
        }
    }
}
