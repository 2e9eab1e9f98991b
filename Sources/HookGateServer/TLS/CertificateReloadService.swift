import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the public listener's certificate and key on SIGHUP, keeping the old ones if the new files are bad.
struct CertificateReloadService: Service, CustomStringConvertible {
    let store: TLSContextStore
    let logger: Logger

    var description: String { "CertificateReloadService" }

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            for await _ in signals {
                do {
                    try store.reload()
                    logger.notice("reloaded TLS certificate and key")
                } catch {
                    logger.error("TLS reload failed; still serving the previous certificate", metadata: ["hookgate.error": "\(error)"])
                }
            }
        }
    }
}
