import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the public listener's certificate and key on SIGHUP, keeping the old ones if the new files are bad. It
/// traps SIGHUP on a plaintext gateway too, where there is nothing to reload: the signal's default action would
/// end the process, and `kill -HUP` is what operators send every gateway after renewing certificates.
struct CertificateReloadService: Service, CustomStringConvertible {
    /// Nil on a plaintext listener.
    let store: TLSContextStore?
    let logger: Logger

    var description: String { "CertificateReloadService" }

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            for await _ in signals {
                guard let store else {
                    logger.notice("SIGHUP: the public listener has no TLS certificate to reload")
                    continue
                }
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
