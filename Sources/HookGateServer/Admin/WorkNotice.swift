import HookGateCore
import HookGateDelivery
import HookGateStorage

/// Tells the delivery workers that an admin write queued work: this instance's at once (when it delivers), every
/// other instance's through the store (PostgreSQL `NOTIFY`), so nobody waits for a poll.
struct WorkNotice {
    let store: any EventStore
    /// Nil on an instance that does not deliver.
    let wake: WakeSignal?

    func send() async {
        wake?.signal()
        // Best effort: the workers' poll picks the work up anyway.
        try? await store.announceNewDeliveries()
    }
}
