import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A real HTTP server on 127.0.0.1 that records what HookGate delivers to it; each path can answer as it likes
/// (fail, hang, 410), so tests see exactly what a consumer sees.
public final class WebhookSink: Sendable {
    public struct Received: Sendable {
        public let path: String
        public let headers: HTTPFields
        public let body: [UInt8]
        public let at: Date

        public func header(_ name: String) -> String? { headers[HTTPField.Name(name)!] }
    }

    /// How to answer the `n`th request (1-based) to a path.
    public struct Answer: Sendable {
        public var status: HTTPResponse.Status
        public var headers: HTTPFields
        public var delay: Duration?
        public var body: Body

        public init(status: HTTPResponse.Status = .ok, headers: HTTPFields = [:], delay: Duration? = nil, body: Body = .text) {
            self.status = status
            self.headers = headers
            self.delay = delay
            self.body = body
        }
    }

    /// What follows the response head.
    public enum Body: Sendable {
        /// `sink says <status>`.
        case text
        case bytes([UInt8])
        /// `chunk` every `interval` for ever (until HookGate hangs up), under a `Content-Length` of `declaredLength`,
        /// or chunked when it is nil: a peer that trickles, stalls or never ends its body.
        case drip(chunk: [UInt8], every: Duration, declaredLength: Int?)
    }

    public typealias Behaviour = @Sendable (_ path: String, _ n: Int) -> Answer

    private let received = Mutex<[Received]>([])
    /// Requests being answered now, and the most there ever were at once, per path.
    private let concurrency = Mutex<[String: (now: Int, peak: Int)]>([:])
    public let port: Int

    private init(port: Int) {
        self.port = port
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public func requests(_ path: String) -> [Received] {
        received.withLock { $0.filter { $0.path == path } }
    }

    fileprivate func record(_ request: Received) -> Int {
        received.withLock { all in
            all.append(request)
            return all.filter { $0.path == request.path }.count
        }
    }

    /// The most requests to `path` that were waiting for their answer at once (a request counts until the sink has
    /// waited its answer's delay).
    public func peakConcurrency(_ path: String) -> Int {
        concurrency.withLock { $0[path]?.peak ?? 0 }
    }

    fileprivate func answering(_ path: String, by change: Int) {
        concurrency.withLock { all in
            let now = (all[path]?.now ?? 0) + change
            all[path] = (now, max(all[path]?.peak ?? 0, now))
        }
    }

    /// Waits until `path` has at least `count` requests, or `timeout` passes; returns them.
    public func wait(for path: String, count: Int, timeout: Duration = .seconds(10)) async throws -> [Received] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let current = requests(path)
            if current.count >= count { return current }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw TestSetupError("\(path) received \(requests(path).count) of \(count) requests in time")
    }

    /// Runs a sink for the duration of `body`.
    public static func with<Result: Sendable>(
        behaviour: @escaping Behaviour = { _, _ in Answer() }, _ body: @Sendable (WebhookSink) async throws -> Result
    ) async throws -> Result {
        let box = Mutex<WebhookSink?>(nil)
        let router = Router()
        router.post("/:name") { request, context -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let sink = box.withLock { $0 }!
            let path = request.uri.path
            let n = sink.record(Received(path: path, headers: request.headers, body: Array(bytes.readableBytesView), at: Date()))
            let answer = behaviour(path, n)
            sink.answering(path, by: 1)
            if let delay = answer.delay { try? await Task.sleep(for: delay) }
            sink.answering(path, by: -1)
            switch answer.body {
            case .text:
                return Response(
                    status: answer.status, headers: answer.headers, body: .init(byteBuffer: ByteBuffer(string: "sink says \(answer.status.code)")))
            case .bytes(let bytes):
                return Response(status: answer.status, headers: answer.headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
            case .drip(let chunk, let interval, let declaredLength):
                return Response(
                    status: answer.status, headers: answer.headers,
                    body: ResponseBody(contentLength: declaredLength) { writer in
                        while !Task.isCancelled {
                            try await writer.write(ByteBuffer(bytes: chunk))
                            try await Task.sleep(for: interval)
                        }
                    })
            }
        }
        let ready = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "sink")
        // Its own shutdown reports the connections HookGate left open as errors; nothing a test needs to read.
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                ready.continuation.yield(channel.localAddress?.port ?? 0)
                ready.continuation.finish()
            },
            logger: logger
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = ready.stream.makeAsyncIterator()
            guard let port = await iterator.next() else { throw TestSetupError("sink did not start") }
            let sink = WebhookSink(port: port)
            box.withLock { $0 = sink }
            defer { group.cancelAll() }
            return try await body(sink)
        }
    }
}
