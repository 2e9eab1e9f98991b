import Foundation
import HookGateStorage
import Logging
import Synchronization

/// Group commit for delivery outcomes: attempts that finish while a commit is under way are recorded together in
/// the next one, so a busy destination costs one transaction (one fsync on SQLite) per batch, not per delivery.
/// Each caller returns once its own outcome is committed, or with an error (then the lease expires and the delivery
/// is attempted again: at-least-once).
final class CompletionBatcher: Sendable {
    private struct Waiting {
        let completion: DeliveryCompletion
        let continuation: CheckedContinuation<Bool, any Error>
    }

    private struct State {
        var queue: [Waiting] = []
        var writerIdle: CheckedContinuation<Void, Never>?
        var stopped = false
    }

    private let store: any DeliveryStore
    private let owner: String
    private let maxBatch = 256
    private let state = Mutex(State())

    init(store: any DeliveryStore, owner: String) {
        self.store = store
        self.owner = owner
    }

    /// Commits the completion with others; true when the lease was still this instance's.
    func complete(_ completion: DeliveryCompletion) async throws -> Bool {
        try await withCheckedThrowingContinuation { continuation in
            let wake = state.withLock { state -> (CheckedContinuation<Void, Never>?, Bool) in
                guard !state.stopped else { return (nil, false) }
                state.queue.append(Waiting(completion: completion, continuation: continuation))
                defer { state.writerIdle = nil }
                return (state.writerIdle, true)
            }
            guard wake.1 else { return continuation.resume(throwing: DeadlineExceeded()) }
            wake.0?.resume()
        }
    }

    /// The writer loop; returns once stopped and drained.
    func run() async {
        while true {
            let batch = await nextBatch()
            guard let batch else { return }
            let store = self.store, owner = self.owner
            let completions = batch.map(\.completion)
            do {
                let kept = try await withDeadline(DeliveryService.storageDeadline) {
                    try await store.completeDeliveries(completions, owner: owner, now: Date())
                }
                for (waiting, result) in zip(batch, kept) { waiting.continuation.resume(returning: result) }
            } catch {
                batch.forEach { $0.continuation.resume(throwing: error) }
            }
        }
    }

    /// Lets the loop finish once what is queued is written.
    func stop() {
        let idle = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.stopped = true
            defer { state.writerIdle = nil }
            return state.writerIdle
        }
        idle?.resume()
    }

    private func nextBatch() async -> [Waiting]? {
        while true {
            let taken = state.withLock { state -> [Waiting]?? in
                if !state.queue.isEmpty {
                    let count = min(maxBatch, state.queue.count)
                    defer { state.queue.removeFirst(count) }
                    return .some(Array(state.queue.prefix(count)))
                }
                return state.stopped ? .some(nil) : nil
            }
            if let taken { return taken }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if !state.queue.isEmpty || state.stopped { return true }
                    state.writerIdle = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
    }
}
