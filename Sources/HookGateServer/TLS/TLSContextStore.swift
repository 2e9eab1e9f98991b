import HookGateCore
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL

/// The public listener's current TLS context. New connections take whatever is current; a reload swaps it
/// without touching connections already established.
final class TLSContextStore: Sendable {
    private let settings: HookGateConfiguration.TLS
    private let context: NIOLockedValueBox<NIOSSLContext>

    init(settings: HookGateConfiguration.TLS) throws {
        self.settings = settings
        self.context = NIOLockedValueBox(try Self.load(settings))
    }

    var current: NIOSSLContext { context.withLockedValue { $0 } }

    /// Re-reads the certificate chain and key; on failure the previous context stays in use.
    func reload() throws {
        let fresh = try Self.load(settings)
        context.withLockedValue { $0 = fresh }
    }

    private static func load(_ settings: HookGateConfiguration.TLS) throws -> NIOSSLContext {
        let chain = try NIOSSLCertificate.fromPEMFile(settings.certificatePath).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(file: settings.privateKeyPath, format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        // On shutdown, wait at most a second for the client's close_notify (default 5 s): providers' keep-alive
        // clients rarely send one, and a restart should not stall on them.
        configuration.shutdownTimeout = .seconds(1)
        return try NIOSSLContext(configuration: configuration)
    }
}
