import AsyncHTTPClient
import Foundation
import HookGateCore
import HookGateStorage
import NIOCore
import NIOHTTP1
import Synchronization

/// The result of one HTTP attempt.
public struct AttemptResult: Sendable {
    public var statusCode: Int?
    /// Nil when the destination answered 2xx.
    public var failure: AttemptFailure?
    public var responseSnippet: String?
    public var retryAfter: Duration?
}

/// Sends a delivery: the stored CloudEvent with the Standard Webhooks headers, over one shared AsyncHTTPClient
/// (pooled per host, no redirects). Subscriptions go through the SSRF guard and connect to the very address that was
/// vetted, through a client pinned to it, so there is no window for DNS rebinding between check and connect.
public final class DeliverySender: Sendable {
    public static let snippetLimit = 4_096
    static let userAgent = "HookGate/0.3"

    private let client: HTTPClient
    private let allowPrivate: Bool
    /// `host|address` → a client whose DNS is pinned to the vetted address (keeps pooling per destination).
    private let pinned = Mutex<[String: HTTPClient]>([:])

    public init(allowPrivate: Bool) {
        self.allowPrivate = allowPrivate
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: Self.configuration(dnsOverride: [:]))
    }

    private static func configuration(dnsOverride: [String: String]) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout.connect = .seconds(5)
        // A refused connection is an attempt that failed, now: retrying it inside the attempt would hold a slot for
        // the whole timeout and hide the outage from the retry schedule and the circuit breaker.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.dnsOverride = dnsOverride
        configuration.decompression = .disabled
        // The workers already cap each destination at its max_in_flight; the pool's own default of 8 connections
        // per host would queue the rest inside the client and make 8 the real limit.
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = HookGateConfiguration.maxInFlightLimit
        return configuration
    }

    public func shutdown() async {
        let clients = pinned.withLock { clients in
            defer { clients = [:] }
            return Array(clients.values)
        }
        for client in clients + [client] { try? await client.shutdown() }
    }

    public func send(_ delivery: ClaimedDelivery, to destination: Destination, now: Date) async -> AttemptResult {
        let client: HTTPClient
        if destination.isSubscription {
            guard let vetted = await vettedClient(for: destination.url) else {
                return AttemptResult(statusCode: nil, failure: .blockedAddress, responseSnippet: nil, retryAfter: nil)
            }
            client = vetted
        } else {
            client = self.client
        }
        var request = HTTPClientRequest(url: destination.url)
        request.method = .POST
        let timestamp = Int64(now.timeIntervalSince1970)
        request.headers.add(name: "content-type", value: "application/cloudevents+json")
        request.headers.add(name: "user-agent", value: Self.userAgent)
        request.headers.add(name: "webhook-id", value: delivery.eventID)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        if !destination.secrets.isEmpty {
            request.headers.add(
                name: "webhook-signature",
                value: WebhookSignature.header(id: delivery.eventID, timestamp: timestamp, body: delivery.payload.readableBytesView, secrets: destination.secrets)
            )
        }
        if let traceparent = Self.traceparent(in: delivery.payload) { request.headers.add(name: "traceparent", value: traceparent) }
        request.body = .bytes(delivery.payload)
        do {
            let response = try await client.execute(request, timeout: TimeAmount(destination.timeout))
            let status = Int(response.status.code)
            var snippet: [UInt8] = []
            for try await chunk in response.body {
                snippet += chunk.readableBytesView.prefix(Self.snippetLimit - snippet.count)
                if snippet.count >= Self.snippetLimit { break }
            }
            return AttemptResult(
                statusCode: status,
                failure: (200..<300).contains(status) ? nil : .status(status),
                responseSnippet: snippet.isEmpty ? nil : String(decoding: snippet, as: UTF8.self),
                retryAfter: RetryPlanner.retryAfter(response.headers.first(name: "retry-after"), now: Date())
            )
        } catch let error as HTTPClientError where [.deadlineExceeded, .readTimeout, .connectTimeout].contains(error) {
            return AttemptResult(statusCode: nil, failure: .timeout, responseSnippet: nil, retryAfter: nil)
        } catch {
            return AttemptResult(statusCode: nil, failure: .connection, responseSnippet: String(describing: error).prefix(200).description, retryAfter: nil)
        }
    }

    private static let traceparentMember = Array(#","traceparent":""#.utf8)

    private static let dataMember = Array(#","data":"#.utf8)

    /// The event's top-level `traceparent` member: HookGate wrote the JSON (envelope members before `data`) and
    /// validated the value at ingest, so the envelope is searched and `data` never is. It runs for every attempt,
    /// so it searches the raw bytes (``ByteSearch``).
    static func traceparent(in payload: ByteBuffer) -> String? {
        payload.withUnsafeReadableBytes { bytes in
            let envelope = UnsafeRawBufferPointer(rebasing: bytes[..<(ByteSearch.firstIndex(of: dataMember, in: bytes) ?? bytes.count)])
            guard let found = ByteSearch.firstIndex(of: traceparentMember, in: envelope) else { return nil }
            let value = envelope[(found + traceparentMember.count)...]
            guard let end = value.firstIndex(of: UInt8(ascii: "\"")) else { return nil }
            return String(decoding: UnsafeRawBufferPointer(rebasing: value[..<end]), as: UTF8.self)
        }
    }

    /// A client that connects to a vetted address of the URL's host, or nil when the URL may not be reached.
    private func vettedClient(for url: String) async -> HTTPClient? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(), let host = components.host,
            scheme == "https" || (allowPrivate && scheme == "http")
        else { return nil }
        guard let addresses = try? await AddressPolicy.resolve(host), let address = addresses.first,
            allowPrivate || addresses.allSatisfy(AddressPolicy.isGlobal)
        else { return nil }
        let key = "\(host)|\(address)"
        return pinned.withLock { clients in
            if let client = clients[key] { return client }
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: Self.configuration(dnsOverride: [host: address.description]))
            clients[key] = client
            return client
        }
    }
}
