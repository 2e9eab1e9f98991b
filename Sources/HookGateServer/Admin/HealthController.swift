import HookGateCore
import HookGateStorage
import Hummingbird
import Logging
import NIOCore
import Prometheus

/// Liveness, readiness and Prometheus metrics; no token needed.
///
/// Ready means this instance can take webhooks: its storage answers, and its public listener (when it has one) is
/// accepting. The admin listener opens first, and the public one only after the start-up migration, which can wait
/// for another instance's; a probe that counted only storage would send providers to a port not yet open.
struct HealthController {
    let store: any EventStore
    let registry: PrometheusCollectorRegistry
    let ingestAccepting: @Sendable () -> Bool

    func register(on router: Router<AdminRequestContext>) {
        router.get("healthz") { _, _ in Response.json(.ok, Array(#"{"status":"ok"}"#.utf8)) }
        router.get("readyz") { _, context in
            guard ingestAccepting() else {
                return Response.json(
                    .serviceUnavailable, Array(#"{"status":"starting","detail":"the public listener is not accepting connections yet"}"#.utf8)
                )
            }
            do {
                try await pingWithin(.seconds(2))
                return Response.json(.ok, Array(#"{"status":"ready"}"#.utf8))
            } catch {
                context.logger.warning("not ready: storage unreachable", metadata: ["hookgate.error": "\(String(reflecting: error))"])
                return Response.json(.serviceUnavailable, Array(#"{"status":"unavailable","detail":"storage is unreachable"}"#.utf8))
            }
        }
        router.get("metrics") { _, _ in
            var bytes: [UInt8] = []
            registry.emit(into: &bytes)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes))
            )
        }
    }

    /// A probe must answer promptly even while the database hangs (PostgreSQL's pool queues requests while it
    /// cannot connect).
    private func pingWithin(_ limit: Duration) async throws {
        let store = self.store
        do {
            try await withDeadline(limit) { try await store.ping() }
        } catch is DeadlineExceeded {
            throw StorageError(.unavailable, "no answer within \(limit)")
        }
    }
}
