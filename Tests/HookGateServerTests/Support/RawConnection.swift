import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// A bare TCP (optionally TLS) client that sends exactly the bytes a test gives it, slowly if need be, and records
/// what comes back and when the server closes.
final class RawConnection: Sendable {
    let channel: any Channel
    private let received: NIOLockedValueBox<[UInt8]>

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let received: NIOLockedValueBox<[UInt8]>
        init(_ received: NIOLockedValueBox<[UInt8]>) { self.received = received }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            received.withLockedValue { $0.append(contentsOf: buffer.readableBytesView) }
        }
    }

    /// - Parameter peerCertificate: set when `tls` is given, with the server's leaf certificate (DER).
    init(port: Int, tls: TLSConfiguration? = nil, peerCertificate: NIOLockedValueBox<[UInt8]?>? = nil) async throws {
        let received = NIOLockedValueBox<[UInt8]>([])
        let sslContext = try tls.map { try NIOSSLContext(configuration: $0) }
        channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        let handler = try NIOSSLClientHandler(context: sslContext, serverHostname: nil) { certificates, promise in
                            peerCertificate?.withLockedValue { $0 = try? certificates.first?.toDERBytes() }
                            promise.succeed(.certificateVerified)
                        }
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                    try channel.pipeline.syncOperations.addHandler(Collector(received))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        self.received = received
    }

    var text: String { String(decoding: received.withLockedValue { $0 }, as: UTF8.self) }

    func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text))
    }

    /// Sends `text` a few bytes at a time with `pause` between pieces, stopping early if the server closes.
    /// Returns how long the server let it go on.
    func dribble(_ text: String, every pause: Duration, chunk: Int = 1) async -> Duration {
        let started = ContinuousClock.now
        var rest = Substring(text)
        while !rest.isEmpty, channel.isActive {
            let piece = rest.prefix(chunk)
            rest = rest.dropFirst(chunk)
            guard (try? await send(String(piece))) != nil else { break }
            try? await Task.sleep(for: pause)
        }
        return started.duration(to: .now)
    }

    /// True when the server closed the connection within `limit`.
    func closed(within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if !channel.isActive { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return !channel.isActive
    }

    /// Waits until a whole response (headers and a Content-Length body) has arrived; nil if none within `limit`.
    func response(within limit: Duration, after offset: Int = 0) async -> String? {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            // Offsets are in bytes: "\r\n" is a single Character, so character counts would drift.
            let text = String(decoding: received.withLockedValue { $0 }.dropFirst(offset), as: UTF8.self)
            if let headerEnd = text.range(of: "\r\n\r\n") {
                let head = text[..<headerEnd.lowerBound].lowercased()
                let length =
                    head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if text.utf8.count - text[..<headerEnd.upperBound].utf8.count >= length { return text }
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    func close() async {
        try? await channel.close()
    }
}
