import Dispatch
import HookGateCore
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A fast HTTP sink for delivery benchmarks: answers every POST 200 at once and, from the CloudEvent's
/// `providereventid` (whose last `_` part is the send time in uptime nanoseconds, see `LoadConnection`), measures
/// how long the event took from the load generator's request to its delivery.
final class DeliverySink: Sendable {
    private struct State {
        var delivered = 0
        var first: UInt64?
        var last: UInt64 = 0
        var latenciesMicroseconds: [Int] = []
    }

    private let state = Mutex(State())
    private static let marker = Array(#""providereventid":""#.utf8)

    func record(_ body: ByteBuffer) {
        let now = DispatchTime.now().uptimeNanoseconds
        let sentAt = Self.sendTime(body)
        state.withLock { state in
            state.delivered += 1
            if state.first == nil { state.first = now }
            state.last = now
            if let sentAt, sentAt <= now { state.latenciesMicroseconds.append(Int((now - sentAt) / 1_000)) }
        }
    }

    var delivered: Int { state.withLock { $0.delivered } }

    /// Deliveries per second between the first and the last arrival.
    var throughput: Double {
        state.withLock { state in
            guard let first = state.first, state.delivered > 1, state.last > first else { return 0 }
            return Double(state.delivered - 1) / (Double(state.last - first) / 1e9)
        }
    }

    var latencies: [Int] { state.withLock { $0.latenciesMicroseconds } }

    /// The sink shares the box with the gateway it measures, so it reads the marker from the raw bytes.
    private static func sendTime(_ body: ByteBuffer) -> UInt64? {
        body.withUnsafeReadableBytes { bytes in
            guard let found = ByteSearch.firstIndex(of: marker, in: bytes) else { return nil }
            let rest = bytes[(found + marker.count)...]
            guard let end = rest.firstIndex(of: UInt8(ascii: "\"")),
                let underscore = rest[..<end].lastIndex(of: UInt8(ascii: "_"))
            else { return nil }
            var value: UInt64 = 0
            for byte in rest[(underscore + 1)..<end] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value &* 10 &+ UInt64(byte - UInt8(ascii: "0"))
            }
            return value
        }
    }

    /// Listens on 127.0.0.1:`port` until the returned channel is closed.
    func start(port: Int, group: any EventLoopGroup) async throws -> any Channel {
        let sink = self
        return try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(SinkHandler(sink: sink))
                }
            }
            .bind(host: "127.0.0.1", port: port).get()
    }
}

private final class SinkHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let sink: DeliverySink
    private var body = ByteBuffer()

    init(sink: DeliverySink) {
        self.sink = sink
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            body.clear()
        case .body(var chunk):
            body.writeBuffer(&chunk)
        case .end:
            sink.record(body)
            var head = HTTPResponseHead(version: .http1_1, status: .ok)
            head.headers.add(name: "content-length", value: "0")
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
