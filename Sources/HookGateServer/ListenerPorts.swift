import NIOConcurrencyHelpers

/// The ports the listeners actually bound (useful with port 0), known once each server is running.
public final class ListenerPorts: Sendable {
    private let ports = NIOLockedValueBox<(ingest: Int?, admin: Int?)>((nil, nil))

    func setIngest(_ port: Int?) { ports.withLockedValue { $0.ingest = port } }
    func setAdmin(_ port: Int?) { ports.withLockedValue { $0.admin = port } }

    /// Waits (up to `timeout`) until both listeners are bound.
    public func bound(timeout: Duration = .seconds(30)) async throws -> (ingest: Int, admin: Int) {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if case let (ingest?, admin?) = ports.withLockedValue({ $0 }) { return (ingest, admin) }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw CancellationError()
    }
}
