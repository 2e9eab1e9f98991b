import HookGateCore
import Logging
import ServiceLifecycle
import Synchronization

/// Group commit: concurrent ingests share transactions, and each caller returns only once its own rows are
/// committed.
///
/// While a commit is in flight, new records queue up, and the next free writer takes all of them (up to
/// `maxBatch`) at once: under heavy load the batch grows with the commit latency. Under moderate load, where
/// commits are quicker than the gap between records, a writer waits a little for batch-mates first
/// (``BatchLinger``, at most 2 ms); under light load a record is committed at once.
///
/// A caller waits at most `commitTimeout`: if the database hangs (PostgreSQL's pool queues requests for up to a
/// minute while it cannot connect), the caller gets ``StorageError/Code/unavailable`` so the provider retries. A
/// commit that still lands later only makes that retry a duplicate.
public final class IngestWriter: Service, CustomStringConvertible {
    private typealias Ticket = GroupCommit<IngestRecord, IngestOutcome>.Ticket

    private let store: any IngestStore
    private let writers: Int
    private let queue: GroupCommit<IngestRecord, IngestOutcome>
    private let logger: Logger

    /// - Parameters:
    ///   - writers: transactions in flight at once (1 for SQLite, which has one writer anyway).
    ///   - maxBatch: the most records in one transaction.
    ///   - commitTimeout: the longest a caller waits for its commit.
    public init(store: any IngestStore, writers: Int, maxBatch: Int = 256, commitTimeout: Duration = .seconds(5), logger: Logger) {
        self.store = store
        self.writers = max(1, writers)
        queue = GroupCommit(maxBatch: maxBatch, linger: .groupCommit, timeout: commitTimeout)
        self.logger = logger
    }

    public var description: String { "IngestWriter" }

    /// Stores the record (or finds it already stored) and returns once that is durable.
    /// Throws ``StorageError`` when it was not committed in time; nothing about the record is then acknowledged.
    public func ingest(_ record: IngestRecord) async throws -> IngestOutcome {
        try await queue.submit(record, refusal: StorageError(.shuttingDown, "shutting down"))
    }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            for _ in 0..<writers {
                group.addTask {
                    while let batch = await self.queue.nextBatch() {
                        await self.commit(batch)
                        self.queue.finished(batch)
                    }
                }
            }
            group.addTask { await self.queue.expireOverdue { StorageError(.unavailable, "commit did not complete in time") } }
            group.addTask {
                // Graceful shutdown (or cancellation) stops intake; queued records are still committed.
                try? await gracefulShutdown()
                self.queue.stop()
            }
        }
    }

    private func commit(_ batch: [Ticket]) async {
        // Two requests with one identity in a batch: the first is written, the second is its duplicate.
        var firstIndex: [IngestRecord.Identity: Int] = [:]
        var unique: [Ticket] = []
        var repeats: [(Ticket, Int)] = []
        for ticket in batch {
            if let index = firstIndex[ticket.item.identity] {
                repeats.append((ticket, index))
            } else {
                firstIndex[ticket.item.identity] = unique.count
                unique.append(ticket)
            }
        }
        do {
            let outcomes = try await store.ingest(unique.map(\.item))
            for (ticket, outcome) in zip(unique, outcomes) { ticket.resolve(.success(outcome)) }
            for (ticket, index) in repeats { ticket.resolve(.success(.duplicate(eventIDs: outcomes[index].eventIDs))) }
        } catch {
            logger.error(
                "ingest commit failed",
                metadata: ["hookgate.batch_size": "\(unique.count)", "hookgate.error": "\(String(reflecting: error))"]
            )
            if batch.count > 1 {
                // Retry one by one, so a record the database refuses cannot take its batch-mates down with it.
                for ticket in batch { await commit([ticket]) }
            } else {
                batch.forEach { $0.resolve(.failure(StorageError(.unavailable, "storage unavailable"))) }
            }
        }
    }
}
