import Synchronization

/// The process-wide budget of request bytes the public listener holds at once (`server.max_buffered_bytes`), so that
/// many large requests together can never exhaust memory: a request that does not fit is answered 503 with
/// `Retry-After` before its body is read, and the provider sends it again.
final class BodyBudget: Sendable {
    let capacity: Int
    private let used = Mutex(0)

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// How many bytes are held now.
    var inUse: Int { used.withLock { $0 } }

    /// Takes `bytes` of the budget; false when they do not fit (nothing is taken then).
    func reserve(_ bytes: Int) -> Bool {
        used.withLock { used in
            guard used + bytes <= capacity else { return false }
            used += bytes
            return true
        }
    }

    func release(_ bytes: Int) {
        used.withLock { $0 = max(0, $0 - bytes) }
    }
}
