import NIOConcurrencyHelpers

/// The ports the listeners actually bound (useful with port 0), known once each server is running.
public final class ListenerPorts: Sendable {
    private let ports: NIOLockedValueBox<(ingest: Int?, admin: Int?)>

    /// - Parameter ingest: false for an instance without the public listener (its port then reads 0).
    init(ingest: Bool = true) {
        ports = NIOLockedValueBox((ingest ? nil : 0, nil))
    }

    func setIngest(_ port: Int?) { ports.withLockedValue { $0.ingest = port } }
    func setAdmin(_ port: Int?) { ports.withLockedValue { $0.admin = port } }

    /// True once the public listener accepts connections, and always on an instance without one.
    var ingestAccepting: Bool { ports.withLockedValue { $0.ingest != nil } }

    /// Waits (up to `timeout`) until the listeners are bound.
    public func bound(timeout: Duration = .seconds(30)) async throws -> (ingest: Int, admin: Int) {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if case (let ingest?, let admin?) = ports.withLockedValue({ $0 }) { return (ingest, admin) }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw CancellationError()
    }
}
