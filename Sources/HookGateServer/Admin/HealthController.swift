import HookGateStorage
import Logging
import Hummingbird
import NIOCore
import Prometheus

/// Liveness, readiness and Prometheus metrics; no token needed.
struct HealthController {
    let store: any EventStore
    let registry: PrometheusCollectorRegistry

    func register(on router: Router<AdminRequestContext>) {
        router.get("healthz") { _, _ in Response.json(.ok, Array(#"{"status":"ok"}"#.utf8)) }
        router.get("readyz") { _, context in
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
    /// cannot connect), so the ping races a timer.
    private func pingWithin(_ limit: Duration) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await store.ping()
                return true
            }
            group.addTask {
                try await Task.sleep(for: limit)
                return false
            }
            defer { group.cancelAll() }
            guard try await group.next() == true else { throw StorageError(.unavailable, "no answer within \(limit)") }
        }
    }
}
