import Dispatch
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// What one connection saw.
struct ConnectionResult: Sendable {
    var latenciesMicroseconds: [UInt32] = []
    var statuses: [Int: Int] = [:]
    var accepted = 0
    var errors = 0
}

/// One keep-alive connection sending requests one after another until the plan's time is up, reconnecting after
/// a failure. Everything runs on the connection's event loop: the generator must cost the box far less than the
/// gateway it measures.
struct LoadConnection {
    let plan: LoadPlan
    let sslContext: NIOSSLContext?
    let id: String
    /// When paced, how long after connecting the first request goes: connections spread their sends over the
    /// interval instead of all sending at the same instants.
    let firstSendDelay: TimeAmount

    func run() async throws -> ConnectionResult {
        var total = ConnectionResult()
        let deadline = NIODeadline.now() + TimeAmount(plan.duration)
        var attempt = 0
        while NIODeadline.now() < deadline {
            attempt += 1
            let promise = MultiThreadedEventLoopGroup.singleton.any().makePromise(of: ConnectionResult.self)
            do {
                let channel = try await connect(deadline: deadline, id: "\(id)_\(attempt)", promise: promise)
                let result = try await promise.futureResult.get()
                try? await channel.close()
                total.merge(result)
                if result.errors > 0 { try await Task.sleep(for: .milliseconds(50)) }
            } catch {
                promise.fail(error)
                total.errors += 1
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        return total
    }

    private func connect(deadline: NIODeadline, id: String, promise: EventLoopPromise<ConnectionResult>) async throws -> any Channel {
        let target = plan.target
        let sslContext = self.sslContext
        let plan = self.plan
        let firstSendDelay = self.firstSendDelay
        return try await ClientBootstrap(group: promise.futureResult.eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        let serverName = target.host.first?.isNumber == true ? nil : target.host
                        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: sslContext, serverHostname: serverName))
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(
                        LoadHandler(plan: plan, id: id, firstSendDelay: firstSendDelay, deadline: deadline, done: promise)
                    )
                }
            }
            .connect(host: target.host, port: target.port).get()
    }
}

extension ConnectionResult {
    mutating func merge(_ other: ConnectionResult) {
        latenciesMicroseconds.append(contentsOf: other.latenciesMicroseconds)
        statuses.merge(other.statuses, uniquingKeysWith: +)
        accepted += other.accepted
        errors += other.errors
    }
}

/// Sends a request, reads its response, records it, and sends the next (now, or at the next paced time).
private final class LoadHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let plan: LoadPlan
    private let id: String
    private let firstSendDelay: TimeAmount
    private let deadline: NIODeadline
    private let done: EventLoopPromise<ConnectionResult>
    private var result = ConnectionResult()
    private var sequence = 0
    private var scheduled = NIODeadline.now()
    private var status = 0
    private var accepted = false
    private var finished = false
    private static let acceptedPrefix = Array(#"{"status":"accepted""#.utf8)
    /// Twilio's answer is TwiML, the same for new and duplicate callbacks; every load-test request is unique, so a
    /// TwiML 200 counts as accepted (the stored = acknowledged check still catches a lost one).
    private static let twimlPrefix = Array("<?xml".utf8)

    init(plan: LoadPlan, id: String, firstSendDelay: TimeAmount, deadline: NIODeadline, done: EventLoopPromise<ConnectionResult>) {
        self.plan = plan
        self.id = id
        self.firstSendDelay = firstSendDelay
        self.deadline = deadline
        self.done = done
        result.latenciesMicroseconds.reserveCapacity(16_384)
    }

    func channelActive(context: ChannelHandlerContext) {
        scheduled = .now() + firstSendDelay
        send(at: scheduled, context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
            accepted = false
        case .body(let body):
            if status == 200, body.readableBytesView.starts(with: Self.acceptedPrefix) || body.readableBytesView.starts(with: Self.twimlPrefix) {
                accepted = true
            }
        case .end:
            // Latency counts from the scheduled send time, so a slow answer is not hidden by a late send.
            let elapsed = NIODeadline.now() - scheduled
            result.latenciesMicroseconds.append(UInt32(clamping: elapsed.nanoseconds / 1_000))
            result.statuses[status, default: 0] += 1
            if accepted { result.accepted += 1 }
            next(context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !finished { result.errors += 1 }
        finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func next(context: ChannelHandlerContext) {
        guard NIODeadline.now() < deadline else {
            finish()
            context.close(promise: nil)
            return
        }
        guard let interval = plan.perConnectionInterval else {
            scheduled = .now()
            send(context: context)
            return
        }
        scheduled = scheduled + TimeAmount(interval)
        send(at: scheduled, context: context)
    }

    private func send(at time: NIODeadline, context: ChannelHandlerContext) {
        if time <= .now() {
            send(context: context)
        } else {
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.assumeIsolated().scheduleTask(deadline: time) {
                let (handler, context) = loopBound.value
                handler.send(context: context)
            }
        }
    }

    private func send(context: ChannelHandlerContext) {
        sequence += 1
        // The send time rides in the id, so the delivery sink can tell how long the event took end to end.
        let webhook = plan.webhooks.make(id: "\(id)_\(sequence)_\(DispatchTime.now().uptimeNanoseconds)")
        let body = webhook.body
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: plan.target.path)
        head.headers.add(name: "Host", value: "\(plan.target.host):\(plan.target.port)")
        head.headers.add(name: "Content-Length", value: String(body.count))
        for (name, value) in webhook.headers { head.headers.add(name: name, value: value) }
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    private func finish() {
        guard !finished else { return }
        finished = true
        done.succeed(result)
    }
}
