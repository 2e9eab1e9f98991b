import AsyncHTTPClient
import Foundation
import HTTPTypes
import HookGateProviders
import HookGateServer
import HookGateTesting
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import Prometheus

@testable import HookGateCore

/// A gateway running in-process on ephemeral ports, and a client to call it over real sockets.
struct RunningGateway: Sendable {
    let ingestURL: String
    let adminURL: String
    let client: HTTPClient
    /// `METHOD /path` of every route the admin listener registered.
    let adminRoutes: [String]

    static let stripeSecret = "whsec_test_gateway"
    static let adminToken = "admin-token-for-tests-0001"
    /// Seals subscription secrets in every test gateway's database (32 bytes, base64).
    static let encryptionKey = "aG9va2dhdGUtdGVzdC1lbmNyeXB0aW9uLWtleS0zMmI="
    static let viewerToken = "viewer-token-for-tests-001"

    /// POSTs `body` to `/webhooks/{source}` with the given headers.
    func post(
        _ source: String, body: String, headers: [(String, String)] = [], method: HTTPMethod = .POST
    ) async throws -> (status: Int, body: String, headers: HTTPHeaders) {
        try await post(path: "/webhooks/\(source)", body: Array(body.utf8), headers: [("Content-Type", "application/json")] + headers, method: method)
    }

    /// POSTs exact body bytes to a path (query included) with exactly the given headers.
    func post(
        path: String, body: [UInt8], headers: [(String, String)], method: HTTPMethod = .POST
    ) async throws -> (status: Int, body: String, headers: HTTPHeaders) {
        var request = HTTPClientRequest(url: "\(ingestURL)\(path)")
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        return try await execute(request)
    }

    /// POSTs a correctly signed Stripe webhook.
    func postSignedStripe(
        _ source: String = "stripe", body: String, timestamp: Int64 = Int64(Date().timeIntervalSince1970), secret: String = stripeSecret
    ) async throws -> (status: Int, body: String, headers: HTTPHeaders) {
        let signature = StripeSigner.signatureHeader(body: Array(body.utf8), secret: secret, timestamp: timestamp)
        return try await post(source, body: body, headers: [("Stripe-Signature", signature)])
    }

    /// GETs an admin path with a bearer token (none when nil).
    func admin(
        _ path: String, token: String? = adminToken, method: HTTPMethod = .GET
    ) async throws -> (status: Int, body: String, headers: HTTPHeaders) {
        try await adminRequest(path, method: method, headers: token.map { [("Authorization", "Bearer \($0)")] } ?? [])
    }

    /// A request to the admin listener with exactly `headers` (a console session's cookie, an Origin, …).
    func adminRequest(
        _ path: String, method: HTTPMethod = .GET, headers: [(String, String)] = [], body: String? = nil
    ) async throws -> (status: Int, body: String, headers: HTTPHeaders) {
        var request = HTTPClientRequest(url: "\(adminURL)\(path)")
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        return try await execute(request)
    }

    /// POSTs a JSON body to an admin path with a bearer token.
    func adminPost(
        _ path: String, json: String, token: String? = adminToken, method: HTTPMethod = .POST
    ) async throws -> (status: Int, body: String, headers: HTTPHeaders) {
        let authorization = token.map { [("Authorization", "Bearer \($0)")] } ?? []
        return try await adminRequest(path, method: method, headers: [("Content-Type", "application/json")] + authorization, body: json)
    }

    func adminJSON(_ path: String) async throws -> [String: Any] {
        let response = try await admin(path)
        guard response.status == 200, let object = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any] else {
            throw TestSetupError("GET \(path) answered \(response.status): \(response.body)")
        }
        return object
    }

    private func execute(_ request: HTTPClientRequest) async throws -> (status: Int, body: String, headers: HTTPHeaders) {
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 10 * 1024 * 1024)
        return (Int(response.status.code), String(buffer: body), response.headers)
    }
}

/// The `server`, `storage` and `admin` blocks most test gateways share: ephemeral ports on 127.0.0.1, no rate
/// limit, subscription secrets sealed at rest, the test admin and viewer tokens. `serverLines` are more `server` members, indented by two spaces.
func sharedYAML(storageURL: String, serverLines: String = "") -> String {
    """
    server:
      listen: 127.0.0.1:0
      admin_listen: 127.0.0.1:0
      rate_limit: { per_ip_per_second: 0 }
    \(serverLines)
    storage:
      url: \(storageURL)
      encryption_key: \(RunningGateway.encryptionKey)
    admin:
      tokens:
        - { name: oncall, token: \(RunningGateway.adminToken), role: admin }
        - { name: dashboards, token: \(RunningGateway.viewerToken), role: viewer }
    """
}

/// The YAML for a test gateway: ephemeral ports, one Stripe source, one route to a billing target.
func testConfiguration(
    backend: TestBackend, tls: DevelopmentCertificate? = nil, extraServer: String = "", rateLimit: String = "{ per_ip_per_second: 0 }",
    source: String = "stripe"
) throws -> HookGateConfiguration {
    let tlsLine = tls.map { "  tls: { cert: \($0.certificatePath), key: \($0.keyPath) }\n" } ?? ""
    let yaml = """
        server:
          listen: 127.0.0.1:0
          admin_listen: 127.0.0.1:0
        \(tlsLine)  rate_limit: \(rateLimit)
        \(extraServer)
        storage:
          url: \(try backend.makeStorageURL())
          encryption_key: \(RunningGateway.encryptionKey)
        admin:
          tokens:
            - { name: oncall, token: \(RunningGateway.adminToken), role: admin }
            - { name: dashboards, token: \(RunningGateway.viewerToken), role: viewer }
        sources:
          - { id: \(source), provider: stripe, secrets: ["whsec_previous", "\(RunningGateway.stripeSecret)"], max_body_bytes: 65536 }
        targets:
          - { id: billing, url: "http://127.0.0.1:9/events" }
          - { id: crm, url: "http://127.0.0.1:9/crm" }
        routes:
          - { name: payments, match: { types: ["payment.*"], sources: [\(source)] }, targets: [billing] }
          - { name: customers, match: { types: ["customer.*"] }, targets: [crm, billing] }
        """
    return try ConfigurationLoader.parse(yaml: yaml, environment: [:])
}

/// Runs `body` with an HTTP client that is shut down however `body` ends: a client dropped without it stops the test
/// process, taking every other test's result with it.
func withHTTPClient<Result>(
    configuration: HTTPClient.Configuration = HTTPClient.Configuration(), _ body: (HTTPClient) async throws -> Result
) async throws -> Result {
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    let result: Result
    do {
        result = try await body(client)
    } catch {
        try? await client.shutdown()
        throw error
    }
    try await client.shutdown()
    return result
}

/// Starts a gateway with `configuration`, runs `body` against it, then shuts it down.
func withGateway<Result: Sendable>(
    _ configuration: HookGateConfiguration,
    roles: Gateway.Roles = Gateway.Roles(),
    _ body: @Sendable (RunningGateway) async throws -> Result
) async throws -> Result {
    var logger = Logger(label: "gateway-test")
    logger.logLevel = .warning
    let registry = PrometheusCollectorRegistry()
    let gateway = Gateway(configuration: configuration, logger: logger, registry: registry, roles: roles)
    var clientConfiguration = HTTPClient.Configuration(certificateVerification: .none)
    clientConfiguration.redirectConfiguration = .disallow
    let scheme = configuration.server.tls == nil ? "http" : "https"
    return try await withHTTPClient(configuration: clientConfiguration) { client in
        try await whileRunning(gateway) {
            let ports = try await gateway.ports.bound()
            return try await body(
                RunningGateway(
                    ingestURL: "\(scheme)://127.0.0.1:\(ports.ingest)", adminURL: "http://127.0.0.1:\(ports.admin)", client: client,
                    adminRoutes: gateway.adminRoutes
                ))
        }
    }
}

/// Runs `gateway` while `body` runs, then stops it gracefully, also when `body` failed: cancelling the service group
/// instead trips its cancellation timeout, whose fatal error would take every other test down with this one.
func whileRunning<Result: Sendable>(_ gateway: Gateway, _ body: () async throws -> Result) async throws -> Result {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await gateway.run() }
        do {
            let result = try await body()
            await gateway.shutdown()
            try await group.waitForAll()
            return result
        } catch {
            await gateway.shutdown()
            try? await group.waitForAll()
            throw error
        }
    }
}

/// A Stripe event body with a unique id.
func stripeBody(type: String = "payment_intent.succeeded", id: String = "evt_\(UUID().uuidString.prefix(12))", amount: Int = 2000) -> String {
    #"{"id":"\#(id)","object":"event","created":1763720100,"type":"\#(type)","data":{"object":{"id":"pi_\#(id.dropFirst(4))","object":"payment_intent","amount":\#(amount),"amount_received":\#(amount),"currency":"usd","customer":"cus_1","status":"succeeded"}}}"#
}
