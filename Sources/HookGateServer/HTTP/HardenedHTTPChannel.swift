import HummingbirdCore
import Logging
import NIOCore
import NIOSSL

/// HTTP/1.1 child channel for the public listener: the read deadline first, then TLS from a reloadable
/// context (HummingbirdTLS's channel fixes its context at start-up), then Hummingbird's HTTP/1 handling.
struct HardenedHTTPChannel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel
    let tls: TLSContextStore?
    let readTimeout: TimeAmount

    var responder: HTTPChannelHandler.Responder { base.responder }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(ReadDeadlineHandler(timeout: readTimeout))
            if let tls {
                try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls.current))
            }
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
