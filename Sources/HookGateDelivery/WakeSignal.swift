import Synchronization

/// Wakes the delivery loop when there may be new work (a commit with deliveries, a freed slot), so new deliveries
/// go out within milliseconds; polling stays only as the backstop for work committed by other instances.
public final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    public init() {}

    public func signal() {
        wake(rememberIfNobodyWaits: true)
    }

    private func wake(rememberIfNobodyWaits: Bool) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            defer { state.waiter = nil }
            if state.waiter == nil && rememberIfNobodyWaits { state.pending = true }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Returns at the next signal (at once if one came since the last wait) or after `timeout`.
    func wait(timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let resumeNow = self.state.withLock { state -> Bool in
                        if state.pending {
                            state.pending = false
                            return true
                        }
                        state.waiter = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                self.wake(rememberIfNobodyWaits: false)
            }
            await group.next()
            group.cancelAll()
        }
    }
}
