import Testing

@testable import HookGateCore

@Suite("routes.yaml loading")
struct ConfigurationLoaderTests {
    let fullExample = """
        server:
          listen: 0.0.0.0:8443
          tls: { cert: certs/server.crt, key: certs/server.key }
          admin_listen: 127.0.0.1:9090
          max_body_bytes: 1048576
          max_header_bytes: 16384
          read_timeout_seconds: 10
          idle_timeout_seconds: 60
          max_connections: 10000
          rate_limit: { per_ip_per_second: 1000, burst: 2000 }
        storage:
          url: postgres://hookgate:${PG_PASSWORD}@db.internal:5433/hookgate
        admin:
          tokens:
            - { name: oncall, token: "${HOOKGATE_ADMIN_TOKEN}", role: admin }
            - { name: dashboards, token: "${VIEWER_TOKEN:-viewer-token-0123456789}", role: viewer }
        sources:
          - { id: stripe, provider: stripe, secrets: ["${STRIPE_WEBHOOK_SECRET}", "whsec_old"], tolerance_seconds: 300 }
          - { id: twilio, provider: twilio, secrets: ["${TWILIO_AUTH_TOKEN:-dev-token}"], public_url: "https://hooks.example.com" }
        targets:
          - id: billing
            url: http://billing.internal:8080/events
            signing_secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
            timeout_seconds: 10
            max_in_flight: 32
            retry: { schedule: [0s, 5s, 5m, 30m, 2h, 5h, 10h, 10h], jitter: 0.2 }
            replay_rate: 50
        routes:
          - name: payments
            match: { types: ["payment.*", "subscription.*"], sources: [stripe] }
            targets: [billing]
        subscriptions:
          allow_private: false
          retry: { schedule: [0s, 5s, 5m], jitter: 0.1 }
          timeout_seconds: 10
          max_in_flight: 16
        """

    let environment = [
        "PG_PASSWORD": "p@ss", "HOOKGATE_ADMIN_TOKEN": "admin-token-0123456789", "STRIPE_WEBHOOK_SECRET": "whsec_live",
    ]

    @Test("the whole DESIGN.md §7 schema loads, with ${NAME} and ${NAME:-default}")
    func loadsFullSchema() throws {
        let config = try ConfigurationLoader.parse(yaml: fullExample, environment: environment)
        #expect(config.server.listen == ListenAddress(host: "0.0.0.0", port: 8443))
        #expect(config.server.tls?.certificatePath == "certs/server.crt")
        #expect(config.server.readTimeout == .seconds(10))
        #expect(config.server.rateLimit.burst == 2000)
        guard case .postgres(let pg) = config.storage.location else {
            Issue.record("expected postgres")
            return
        }
        #expect(pg.password == "p@ss" && pg.port == 5433 && pg.database == "hookgate")
        #expect(config.admin.tokens.map(\.token) == ["admin-token-0123456789", "viewer-token-0123456789"])
        #expect(config.sources[0].secrets == ["whsec_live", "whsec_old"])
        #expect(config.sources[1].secrets == ["dev-token"])
        #expect(config.targets[0].retry.schedule.count == 8)
        #expect(config.targets[0].retry.schedule[2] == .seconds(300))
        #expect(config.subscriptions.retry == .init(schedule: [.zero, .seconds(5), .seconds(300)], jitter: 0.1))
        #expect(RouteTable(routes: config.routes).destinations(forType: "payment.succeeded", source: "stripe") == ["target:billing"])
    }

    @Test("an empty file gives the documented defaults")
    func defaults() throws {
        let config = try ConfigurationLoader.parse(yaml: "", environment: [:])
        #expect(config.server.maxBodyBytes == 1_048_576)
        #expect(config.server.adminListen.description == "127.0.0.1:9090")
        #expect(config.storage.location == .sqlite(path: "data/hookgate.sqlite"))
        #expect(config.subscriptions.retry == .standard)
        #expect(config.retention == .init(receiptBodies: .seconds(30 * 86_400), events: .seconds(90 * 86_400), audit: .seconds(400 * 86_400)))
    }

    @Test("retention takes s, m, h and d, and 0 for forever")
    func retention() throws {
        let config = try ConfigurationLoader.parse(yaml: "retention:\n  receipt_bodies: 2m\n  events: 0\n  audit: 36500d\n", environment: [:])
        #expect(config.retention == .init(receiptBodies: .seconds(120), events: nil, audit: .seconds(36_500 * 86_400)))
        let partial = try ConfigurationLoader.parse(yaml: "retention: { events: 12h }\n", environment: [:])
        #expect(partial.retention.events == .seconds(43_200) && partial.retention.receiptBodies == .seconds(30 * 86_400))
    }

    @Test(
        "errors name the key path and line",
        arguments: [
            ("sources:\n  - { id: s, provider: stripe, secrets: [a], colour: red }\n", "sources[0].colour", 2, "unknown key"),
            ("server:\n  listen: 0.0.0.0:8443\n  max_body_bytes: lots\n", "server.max_body_bytes", 3, "whole number"),
            ("server:\n  max_body_bytes: 268435457\n", "server.max_body_bytes", 2, "1...268435456"),
            ("sources:\n  - { id: s, provider: stripe, secrets: [a], max_body_bytes: 1073741824 }\n", "sources[0].max_body_bytes", 2, "out of range"),
            ("sources:\n  - id: s\n    provider: stripe\n    secrets: [\"${MISSING_SECRET}\"]\n", "sources[0].secrets[0]", 4, "MISSING_SECRET"),
            (
                "targets:\n  - { id: t, url: http://t/x }\nroutes:\n  - name: r\n    match: { types: [\"*\"] }\n    targets: [t, nope]\n",
                "routes[0].targets[1]", 6, "\"nope\""
            ),
            ("sources:\n  - { id: s, provider: paypal, secrets: [a] }\n", "sources[0].provider", 2, "unknown provider"),
            ("storage:\n  url: mysql://x\n", "storage.url", 2, "expected sqlite://"),
            ("routes:\n  - name: r\n    match: { types: [\"pay*ment\"] }\n    targets: [t]\n", "routes[0].match.types[0]", 3, "prefix"),
            (
                "sources:\n  - { id: a, provider: stripe, secrets: [x] }\n  - { id: a, provider: stripe, secrets: [y] }\n", "sources[1]", 3,
                "duplicate"
            ),
            ("admin:\n  tokens:\n    - { name: x, token: short, role: admin }\n", "admin.tokens[0].token", 3, "16"),
            ("targets:\n  - id: t\n    url: http://t/x\n    retry: { schedule: [0s, 5 minutes] }\n", "targets[0].retry.schedule[1]", 4, "duration"),
            ("retention:\n  receipt_bodies: 30d\n  events: 90\n", "retention.events", 3, "0 to keep forever"),
            ("retention:\n  audit: 500ms\n", "retention.audit", 2, "got \"500ms\""),
            ("retention:\n  audit: 36501d\n", "retention.audit", 2, "retention such as"),
            ("retention:\n  bodies: 1d\n", "retention.bodies", 2, "unknown key"),
            (
                "sources:\n  - id: s\n    provider: stripe\n    secrets: [a]\n    auto_erase: true\n", "sources[0].auto_erase", 5,
                "shopify sources only"
            ),
            ("sources:\n  - { id: s, provider: shopify, secrets: [a], auto_erase: yes please }\n", "sources[0].auto_erase", 2, "true or false"),
        ])
    func errorsAreLocated(yaml: String, path: String, line: Int, message: String) {
        do {
            _ = try ConfigurationLoader.parse(yaml: yaml, environment: [:])
            Issue.record("expected an error at \(path)")
        } catch let error as ConfigurationError {
            #expect(error.path == path)
            #expect(error.line == line)
            #expect(error.message.contains(message), "\(error)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("a secret's value never appears in an error")
    func errorsDoNotEchoSecrets() throws {
        let yaml = "sources:\n  - { id: s, provider: stripe, secrets: [\"${SECRET}\"], tolerance_seconds: \"${SECRET}\" }\n"
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.parse(yaml: yaml, environment: ["SECRET": "whsec_supersecretvalue"]) }
        do {
            _ = try ConfigurationLoader.parse(yaml: yaml, environment: ["SECRET": "whsec_supersecretvalue"])
        } catch {
            #expect(String(describing: error).contains("tolerance_seconds"))
            #expect(!String(describing: error).contains("supersecret"))
        }
    }

    @Test("invalid YAML reports its line")
    func invalidYAML() {
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.parse(yaml: "server:\n  listen: [\n", environment: [:]) }
    }
}
