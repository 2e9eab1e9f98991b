import AsyncHTTPClient
import Foundation
import HookGateCore
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
    /// Clients whose DNS is pinned to a vetted subscriber address (keeps pooling per destination).
    let pinned: PinnedClients

    public init(allowPrivate: Bool) {
        self.allowPrivate = allowPrivate
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: Self.configuration(dnsOverride: [:]))
        self.pinned = PinnedClients { host, address in
            HTTPClient(eventLoopGroupProvider: .singleton, configuration: Self.configuration(dnsOverride: [host: address]))
        }
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
        await pinned.shutdownAll()
        try? await client.shutdown()
    }

    /// Shuts down pinned clients that no attempt has used for a while.
    func shutdownIdleClients() async {
        await pinned.shutdownIdle()
    }

    /// One attempt, over within the destination's timeout whatever the peer does (``exchange(_:on:within:)``).
    public func send(_ delivery: ClaimedDelivery, to destination: Destination, now: Date) async -> AttemptResult {
        let request = Self.request(delivery, to: destination, now: now)
        guard destination.isSubscription else { return await Self.exchange(request, on: client, within: destination.timeout) }
        guard let (host, address) = await vettedAddress(for: destination.url) else {
            return AttemptResult(statusCode: nil, failure: .blockedAddress, responseSnippet: nil, retryAfter: nil)
        }
        return await pinned.with(host: host, address: address) { client in
            await Self.exchange(request, on: client, within: destination.timeout)
        }
    }

    private static func request(_ delivery: ClaimedDelivery, to destination: Destination, now: Date) -> HTTPClientRequest {
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
                value: WebhookSignature.header(
                    id: delivery.eventID, timestamp: timestamp, body: delivery.payload.readableBytesView, secrets: destination.secrets)
            )
        }
        if let traceparent = Self.traceparent(in: delivery.payload) { request.headers.add(name: "traceparent", value: traceparent) }
        request.body = .bytes(delivery.payload)
        return request
    }

    /// Runs the exchange, connect to the body read up to the snippet, and returns within `timeout` whatever the
    /// peer does: AsyncHTTPClient's deadline stops counting once the response head has arrived, so a peer that
    /// trickles, stalls or streams for ever would otherwise hold the attempt (and its lease and slot) without end.
    /// The status decides the outcome: a 2xx head whose body does not finish in time is a success (the destination
    /// said it took the event; docs/decisions.md), and a failure keeps whatever snippet arrived.
    static func exchange(_ request: HTTPClientRequest, on client: HTTPClient, within timeout: Duration) async -> AttemptResult {
        let progress = ExchangeProgress()
        let finished = await withTaskGroup(of: AttemptResult?.self) { group in
            group.addTask { await Self.run(request, on: client, timeout: timeout, progress: progress) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            // The first to end wins; cancelling the other ends AsyncHTTPClient's body stream and its connection.
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        return finished ?? progress.result(orElse: .timeout)
    }

    private static func run(_ request: HTTPClientRequest, on client: HTTPClient, timeout: Duration, progress: ExchangeProgress) async -> AttemptResult
    {
        do {
            let response = try await client.execute(request, timeout: TimeAmount(timeout))
            let retryAfter = RetryPlanner.retryAfter(response.headers.first(name: "retry-after"), now: Date())
            progress.head(status: Int(response.status.code), retryAfter: retryAfter)
            for try await chunk in response.body {
                if progress.append(chunk.readableBytesView) { break }
            }
            return progress.result(orElse: .connection)
        } catch let error as HTTPClientError where [.deadlineExceeded, .readTimeout, .connectTimeout].contains(error) {
            return progress.result(orElse: .timeout)
        } catch {
            if progress.answered { return progress.result(orElse: .connection) }
            let text = ResponseSnippet.text(Array(String(describing: error).utf8.prefix(200)), limit: 200)
            return AttemptResult(statusCode: nil, failure: .connection, responseSnippet: text, retryAfter: nil)
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

    /// The URL's host and the vetted address to connect to, or nil when the URL may not be reached.
    private func vettedAddress(for url: String) async -> (host: String, address: String)? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(), let host = components.host,
            scheme == "https" || (allowPrivate && scheme == "http")
        else { return nil }
        guard let addresses = try? await AddressPolicy.resolve(host), let address = addresses.first,
            allowPrivate || addresses.allSatisfy(AddressPolicy.isGlobal)
        else { return nil }
        return (host, address.description)
    }
}

/// What one exchange has received so far: the head's status and `Retry-After`, and the body's first bytes. Shared
/// by the exchange and the timer that may end it.
final class ExchangeProgress: Sendable {
    private struct State {
        var status: Int?
        var retryAfter: Duration?
        var snippet: [UInt8] = []
    }

    private let state = Mutex(State())

    var answered: Bool { state.withLock { $0.status != nil } }

    func head(status: Int, retryAfter: Duration?) {
        state.withLock { state in
            state.status = status
            state.retryAfter = retryAfter
        }
    }

    /// Keeps the bytes up to the snippet limit; true once the snippet is full (nothing more need be read).
    func append(_ bytes: some Collection<UInt8>) -> Bool {
        state.withLock { state in
            state.snippet += bytes.prefix(DeliverySender.snippetLimit - state.snippet.count)
            return state.snippet.count >= DeliverySender.snippetLimit
        }
    }

    /// The attempt's result: the status decides once a head has arrived; before that, `failure`.
    func result(orElse failure: AttemptFailure) -> AttemptResult {
        let (status, retryAfter, snippet) = state.withLock { ($0.status, $0.retryAfter, $0.snippet) }
        guard let status else { return AttemptResult(statusCode: nil, failure: failure, responseSnippet: nil, retryAfter: nil) }
        return AttemptResult(
            statusCode: status, failure: (200..<300).contains(status) ? nil : .status(status),
            responseSnippet: ResponseSnippet.text(snippet, limit: DeliverySender.snippetLimit), retryAfter: retryAfter
        )
    }
}
