import Synchronization

/// Wakes the delivery loop when there may be new work (a commit with deliveries, a freed slot), so new deliveries
/// go out within milliseconds; polling stays only as the backstop for work committed by other instances.
///
/// Signals that may mean new work are counted (``news``), so the loop can tell a destination it found empty from one
/// that may have work again; a freed slot only wakes it.
public final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var news: UInt64 = 0
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    public init() {}

    /// There may be new work: deliveries were committed, queued again or may be due again.
    public func signal() {
        wake(news: true, rememberIfNobodyWaits: true)
    }

    /// A slot was freed: destinations with work can take more, but nothing new was stored.
    func slotFreed() {
        wake(news: false, rememberIfNobodyWaits: true)
    }

    /// How many signals of new work have come so far.
    var news: UInt64 { state.withLock(\.news) }

    private func wake(news: Bool, rememberIfNobodyWaits: Bool) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            defer { state.waiter = nil }
            if news { state.news &+= 1 }
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
                self.wake(news: false, rememberIfNobodyWaits: false)
            }
            await group.next()
            group.cancelAll()
        }
    }
}
