import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Talks to a running gateway's admin API (DESIGN.md §8) for the on-call CLI.
public struct AdminClient: Sendable {
    /// The admin listener, e.g. `http://127.0.0.1:9090`.
    public let baseURL: String
    let token: String?
    let timeout: TimeAmount
    private let http: HTTPClient

    /// Call ``shutdown()`` when done.
    public init(baseURL: String, token: String?, timeout: TimeAmount = .seconds(30)) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.timeout = timeout
        var configuration = HTTPClient.Configuration(timeout: .init(connect: .seconds(5)))
        // A gateway that is not running should say so at once, not after the whole request deadline of retries.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// The methods the admin API uses.
    public enum Method: String, Sendable {
        case GET, POST, PATCH, DELETE
    }

    /// One answer: its status and body, with the body parsed when it is JSON.
    public struct Reply: Sendable {
        public let status: Int
        public let body: [UInt8]

        /// The body as a JSON object (empty when it is not one).
        public var object: [String: Any] {
            ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]) ?? [:]
        }

        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// `GET path?query`; query items without a value are left out.
    public func get(_ path: String, query: [(String, String?)] = []) async throws -> Reply {
        try await send(.GET, path + Self.queryString(query))
    }

    /// Sends a request with an optional JSON body; a 4xx or 5xx answer throws ``AdminClientError`` with the
    /// gateway's `detail`.
    public func send(_ method: Method, _ path: String, json: [String: Any]? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = HTTPMethod(rawValue: method.rawValue)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])))
        }
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await http.execute(request, timeout: timeout)
            body = try await response.body.collect(upTo: 64 << 20)
        } catch {
            throw AdminClientError.unreachable(baseURL, error)
        }
        let reply = Reply(status: Int(response.status.code), body: Array(body.readableBytesView))
        guard reply.status < 400 else { throw AdminClientError.refused(reply) }
        return reply
    }

    static func queryString(_ items: [(String, String?)]) -> String {
        let present = items.compactMap { name, value in value.map { (name, $0) } }
        guard !present.isEmpty else { return "" }
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return "?" + present.map { "\($0)=\($1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $1)" }.joined(separator: "&")
    }
}
