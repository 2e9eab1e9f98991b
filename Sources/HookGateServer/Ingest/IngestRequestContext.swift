import Hummingbird
import NIOCore

/// Request context for the public listener; it carries the client address for rate limiting.
struct IngestRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The peer's IP address; no proxy header is trusted (see docs/decisions.md).
    let clientAddress: String?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientAddress = source.channel.remoteAddress?.ipAddress
    }
}
