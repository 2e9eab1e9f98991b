import Foundation
import HookGateCore
import Logging

/// Group commit for delivery outcomes: attempts that finish while a commit is under way are recorded together in
/// the next one, so a busy destination costs one transaction (one fsync on SQLite) per batch, not per delivery.
/// Each caller returns once its own outcome is committed, or with an error (then the lease expires and the delivery
/// is attempted again: at-least-once).
final class CompletionBatcher: Sendable {
    /// Commits a batch; one flag per completion, true when its lease was still this instance's.
    typealias Commit = @Sendable ([DeliveryCompletion]) async throws -> [Bool]

    private let commit: Commit
    private let queue = GroupCommit<DeliveryCompletion, Bool>(maxBatch: 256)

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
        try await queue.submit(completion, refusal: DeadlineExceeded())
    }

    /// The writer loop; returns once stopped and drained.
    func run() async {
        while let batch = await queue.nextBatch() {
            do {
                let kept = try await commit(batch.map(\.item))
                for (index, ticket) in batch.enumerated() { ticket.resolve(.success(index < kept.count && kept[index])) }
            } catch  where batch.count == 1 {
                batch[0].resolve(.failure(error))
            } catch {
                // One unstorable outcome must not cost its batch-mates theirs: each is tried on its own, as ingest
                // does, and only the ones that fail alone fail (their leases expire and they are sent again).
                for ticket in batch {
                    do {
                        ticket.resolve(.success(try await commit([ticket.item]).first ?? false))
                    } catch {
                        ticket.resolve(.failure(error))
                    }
                }
            }
            queue.finished(batch)
        }
    }

    /// Lets the loop finish once what is queued is written.
    func stop() {
        queue.stop()
    }
}
