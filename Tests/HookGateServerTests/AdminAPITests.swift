import Foundation
import HookGateTesting
import Hummingbird
import HummingbirdTesting
import NIOHTTP1
import Testing
import Yams

@testable import HookGateCore
@testable import HookGateServer

/// The admin listener: tokens and roles, errors that say what was wrong, pagination, health (DESIGN.md §8).
@Suite("Admin API")
struct AdminAPITests {
    @Test("the OpenAPI document describes exactly the routes the admin listener registers")
    func openAPI() async throws {
        try await withGateway(try testConfiguration(backend: .sqlite)) { gateway in
            #expect(try await gateway.admin("/v1/openapi.yaml", token: nil).status == 401)
            let served = try await gateway.admin("/v1/openapi.yaml", token: RunningGateway.viewerToken)
            #expect(served.status == 200 && served.headers.first(name: "Content-Type") == "application/yaml")
            let document = try #require(try Yams.load(yaml: served.body) as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let methods: Set<String> = ["get", "post", "put", "patch", "delete"]
            let documented = Set(paths.flatMap { path, operations in operations.keys.filter(methods.contains).map { "\($0.uppercased()) \(path)" } })
            // Hummingbird writes captures as :name and paths without the leading slash; OpenAPI as {name}.
            // The console's page and session routes are not part of the API the document describes.
            let registered = Set(
                gateway.adminRoutes.filter { !$0.contains(" /console") && !$0.contains(" console") }.map { route in
                    let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
                    let path = parts[1].split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
                    return "\(parts[0]) /\(path)"
                })
            #expect(registered.count > 20)
            #expect(registered.subtracting(documented).isEmpty, "registered but not documented")
            #expect(documented.subtracting(registered).isEmpty, "documented but not registered")
        }
    }

    @Test("missing or wrong tokens are 401, viewers read, and health needs no token", arguments: TestBackend.available)
    func authentication(backend: TestBackend) async throws {
        try await withGateway(try testConfiguration(backend: backend)) { gateway in
            let missing = try await gateway.admin("/v1/events", token: nil)
            #expect(missing.status == 401)
            #expect(missing.headers.first(name: "WWW-Authenticate") == "Bearer")
            #expect(missing.body.contains(#""error":"unauthorized""#) && missing.body.contains(#""detail""#))
            #expect(try await gateway.admin("/v1/events", token: "not-a-real-token-at-all").status == 401)
            #expect(try await gateway.admin("/v1/events", token: RunningGateway.viewerToken).status == 200)
            #expect(try await gateway.admin("/v1/events", token: RunningGateway.adminToken).status == 200)
            #expect(try await gateway.admin("/healthz", token: nil).body == #"{"status":"ok"}"#)
            #expect(try await gateway.admin("/readyz", token: nil).status == 200)
            let metrics = try await gateway.admin("/metrics", token: nil)
            #expect(metrics.status == 200 && metrics.body.contains("hookgate_ingest_requests_total"))
            // The first retention pass runs at start and reports the storage's size.
            var bytes = 0.0
            for _ in 0..<50 where bytes == 0 {
                let body = try await gateway.admin("/metrics", token: nil).body
                let line = body.split(separator: "\n").first { $0.hasPrefix("hookgate_storage_bytes ") }
                bytes = line.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
                if bytes == 0 { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(bytes > 0, "hookgate_storage_bytes is the database's size")
            #expect(try await gateway.admin("/metrics", token: nil).body.contains(#"hookgate_pruned_rows_total{table="events"}"#))
        }
    }

    @Test("bad parameters are 400 with a detail; unknown ids and paths are 404 JSON")
    func validation() async throws {
        try await withGateway(try testConfiguration(backend: .sqlite)) { gateway in
            for (path, detail) in [
                ("/v1/events?limit=0", "limit"), ("/v1/events?limit=501", "limit"), ("/v1/events?since=yesterday", "since"),
                ("/v1/events?type=pay*ment", "type"), ("/v1/receipts?status=weird", "status"),
            ] {
                let response = try await gateway.admin(path)
                #expect(response.status == 400, "\(path)")
                let object = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: String]
                #expect(object?["error"] == "bad_request")
                #expect(object?["detail"]?.contains(detail) == true, "\(path): \(response.body)")
            }
            let unknown = try await gateway.admin("/v1/events/evt_nope")
            #expect(unknown.status == 404 && unknown.body.contains("evt_nope"))
            #expect(try await gateway.admin("/v1/no-such-thing").status == 404)
            #expect(try await gateway.admin("/v1/events/evt_nope/receipt").status == 404)
        }
    }

    @Test("hostile admin bodies are 4xx with what was wrong, never 500", arguments: TestBackend.available)
    func hostileBodies(backend: TestBackend) async throws {
        try await withGateway(try testConfiguration(backend: backend)) { gateway in
            let huge =
                #"{"url":"https://hooks.example.com/in","types":["payment.*"],"description":""# + String(repeating: "x", count: 70_000) + #""}"#
            let cases: [(String, Int, String)] = [
                (huge, 413, "64 KiB"),
                (#"{"url":"https://hooks.example.com/in\u0000x","types":["payment.*"]}"#, 400, "url"),
                (#"{"url":"https://hooks.example.com/in","types":["payment.*"],"description":"a\u0000b"}"#, 400, "description"),
                (#"{"url":"https://hooks.example.com/in","types":["payment.\u0000"]}"#, 400, "types"),
                (#"{"url":"https://hooks.example.com/in","types":"payment.*"}"#, 400, "types"),
                (#"[1,2,3]"#, 400, "JSON object"),
                (String(repeating: "[", count: 100_000), 413, "64 KiB"),
                (String(repeating: "[", count: 60_000), 400, "JSON object"),
            ]
            for (body, status, detail) in cases {
                let response = try await gateway.adminPost("/v1/subscriptions", json: body)
                #expect(response.status == status, "\(body.prefix(80)): \(response.status) \(response.body.prefix(200))")
                let object = try? JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: String]
                #expect(object?["detail"]?.contains(detail) == true, "\(body.prefix(80)): \(response.body.prefix(200))")
            }
            #expect((try await gateway.adminJSON("/v1/subscriptions")["data"] as? [Any])?.isEmpty == true, "nothing was created")
        }
    }

    @Test("cursor pagination walks every event once, newest first", arguments: TestBackend.available)
    func pagination(backend: TestBackend) async throws {
        let source = uniqueSourceID("stripe")
        try await withGateway(try testConfiguration(backend: backend, source: source)) { gateway in
            var sent: [String] = []
            for _ in 0..<7 {
                let response = try await gateway.postSignedStripe(source, body: stripeBody())
                let object = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
                sent.append(contentsOf: object?["events"] as? [String] ?? [])
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await gateway.adminJSON("/v1/events?source=\(source)&limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""))
                seen.append(contentsOf: (page["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
                cursor = page["next_cursor"] as? String
            } while cursor != nil
            #expect(seen == sent.reversed())
            let recent = try await gateway.adminJSON("/v1/events?source=\(source)&since=1h")
            #expect((recent["data"] as? [Any])?.count == 7)
            let none = try await gateway.adminJSON("/v1/events?source=\(source)&until=2000-01-01T00:00:00Z")
            #expect((none["data"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("a viewer token may not write (403); an admin token may")
    func roles() async throws {
        let router = Router(context: AdminRequestContext.self)
        router.addMiddleware { AdminErrorMiddleware() }
        router.group("v1").add(
            middleware: AdminAuthMiddleware(
                credentials: AdminCredentials(tokens: [
                    .init(name: "oncall", token: RunningGateway.adminToken, role: .admin),
                    .init(name: "dash", token: RunningGateway.viewerToken, role: .viewer),
                ]), sessions: ConsoleSessions())
        ).post("replays") { _, context in context.principal?.name ?? "nobody" }
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/v1/replays", method: .post, headers: [.authorization: "Bearer \(RunningGateway.viewerToken)"]) {
                response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains(#""error":"forbidden""#))
            }
            try await client.execute(uri: "/v1/replays", method: .post, headers: [.authorization: "Bearer \(RunningGateway.adminToken)"]) {
                response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "oncall")
            }
        }
    }
}
