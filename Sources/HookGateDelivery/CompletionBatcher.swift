import Foundation
import HookGateCore
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

    /// Commits a batch; one flag per completion, true when its lease was still this instance's.
    typealias Commit = @Sendable ([DeliveryCompletion]) async throws -> [Bool]

    private let commit: Commit
    private let maxBatch = 256
    private let state = Mutex(State())

    init(commit: @escaping Commit) {
        self.commit = commit
    }

    /// Commits to `queue` as `owner`, each batch within the delivery loop's storage deadline.
    convenience init(queue: any DeliveryQueue, owner: String) {
        self.init { completions in
            try await withDeadline(DeliveryService.storageDeadline) {
                try await queue.completeDeliveries(completions, owner: owner, now: Date())
            }
        }
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
            do {
                let kept = try await commit(batch.map(\.completion))
                for (index, waiting) in batch.enumerated() { waiting.continuation.resume(returning: index < kept.count && kept[index]) }
            } catch  where batch.count == 1 {
                batch[0].continuation.resume(throwing: error)
            } catch {
                // One unstorable outcome must not cost its batch-mates theirs: each is tried on its own, as ingest
                // does, and only the ones that fail alone fail (their leases expire and they are sent again).
                for waiting in batch {
                    do {
                        waiting.continuation.resume(returning: try await commit([waiting.completion]).first ?? false)
                    } catch {
                        waiting.continuation.resume(throwing: error)
                    }
                }
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
