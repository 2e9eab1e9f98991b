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

/// One keep-alive connection sending requests one after another until the plan's time is up.
struct LoadConnection {
    let plan: LoadPlan
    let sslContext: NIOSSLContext?
    let id: String

    func run() async throws -> ConnectionResult {
        var result = ConnectionResult()
        result.latenciesMicroseconds.reserveCapacity(8_192)
        let deadline = ContinuousClock.now + plan.duration
        var sequence = 0
        var next = ContinuousClock.now
        while ContinuousClock.now < deadline {
            do {
                let channel = try await connect()
                defer { channel.channel.close(promise: nil) }
                try await channel.executeThenClose { inbound, outbound in
                    var responses = inbound.makeAsyncIterator()
                    while ContinuousClock.now < deadline {
                        if plan.perConnectionInterval != nil {
                            // Latency counts from the scheduled time, so a slow answer is not hidden by a late send.
                            if next > ContinuousClock.now { try await Task.sleep(until: next, clock: .continuous) }
                        } else {
                            next = .now
                        }
                        let scheduled = next
                        if let interval = plan.perConnectionInterval { next = next + interval }
                        sequence += 1
                        let body = plan.body(id: "\(id)_\(sequence)")
                        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: plan.target.path)
                        head.headers.add(name: "Host", value: "\(plan.target.host):\(plan.target.port)")
                        head.headers.add(name: "Content-Type", value: "application/json")
                        head.headers.add(name: "Content-Length", value: String(body.count))
                        for (name, value) in plan.scheme.headers(body) { head.headers.add(name: name, value: value) }
                        try await outbound.write(.head(head))
                        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body))))
                        try await outbound.write(.end(nil))
                        var status = 0
                        var responseBody = ByteBuffer()
                        reading: while let part = try await responses.next() {
                            switch part {
                            case .head(let response): status = Int(response.status.code)
                            case .body(var chunk): responseBody.writeBuffer(&chunk)
                            case .end: break reading
                            }
                        }
                        guard status != 0 else { throw ChannelError.eof }
                        let elapsed = scheduled.duration(to: .now)
                        result.latenciesMicroseconds.append(UInt32(clamping: elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000))
                        result.statuses[status, default: 0] += 1
                        if status == 200, responseBody.readableBytesView.starts(with: Array(#"{"status":"accepted""#.utf8)) { result.accepted += 1 }
                    }
                }
            } catch {
                result.errors += 1
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        return result
    }

    private func connect() async throws -> NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart> {
        let target = plan.target
        let sslContext = self.sslContext
        return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: target.host, port: target.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        let serverName = target.host.first?.isNumber == true ? nil : target.host
                        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: sslContext, serverHostname: serverName))
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
    }
}
