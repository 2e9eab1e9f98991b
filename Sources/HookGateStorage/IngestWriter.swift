import Logging
import ServiceLifecycle
import Synchronization

/// Group commit: concurrent ingests share transactions, and each caller returns only once its own rows are
/// committed.
///
/// There is no timer: while a commit is in flight, new records queue up, and the next free writer takes all of
/// them (up to `maxBatch`) at once. Under light load a record is committed alone without waiting; under heavy
/// load the batch grows with the commit latency, which is the bounded wait.
public final class IngestWriter: Service, CustomStringConvertible {
    private struct Pending {
        let record: IngestRecord
        let continuation: CheckedContinuation<IngestOutcome, any Error>
    }

    private struct State {
        var queue: [Pending] = []
        var idleWriters: [CheckedContinuation<[Pending]?, Never>] = []
        var stopped = false
    }

    private let store: any EventStore
    private let maxBatch: Int
    private let writers: Int
    private let logger: Logger
    private let state = Mutex(State())

    /// - Parameters:
    ///   - writers: transactions in flight at once (1 for SQLite, which has one writer anyway).
    ///   - maxBatch: the most records in one transaction.
    public init(store: any EventStore, writers: Int, maxBatch: Int = 256, logger: Logger) {
        self.store = store
        self.writers = max(1, writers)
        self.maxBatch = max(1, maxBatch)
        self.logger = logger
    }

    public var description: String { "IngestWriter" }

    /// Stores the record (or finds it already stored) and returns once that is durable.
    /// Throws ``StorageError`` when it could not be committed; nothing about the record is then acknowledged.
    public func ingest(_ record: IngestRecord) async throws -> IngestOutcome {
        try await withCheckedThrowingContinuation { continuation in
            let wake = state.withLock { state -> (CheckedContinuation<[Pending]?, Never>, [Pending])?? in
                guard !state.stopped else { return .some(nil) }
                state.queue.append(Pending(record: record, continuation: continuation))
                guard let writer = state.idleWriters.popLast() else { return nil }
                return (writer, Self.takeBatch(&state, maxBatch))
            }
            switch wake {
            case .some(nil): continuation.resume(throwing: StorageError(.shuttingDown, "shutting down"))
            case .some(let (writer, batch)?): writer.resume(returning: batch)
            case nil: break
            }
        }
    }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            for _ in 0..<writers {
                group.addTask {
                    while let batch = await self.nextBatch() { await self.commit(batch) }
                }
            }
            group.addTask {
                // Graceful shutdown (or cancellation) stops intake; queued records are still committed.
                try? await gracefulShutdown()
                self.stop()
            }
        }
    }

    private func stop() {
        let idle = state.withLock { state in
            state.stopped = true
            defer { state.idleWriters = [] }
            return state.idleWriters
        }
        idle.forEach { $0.resume(returning: nil) }
    }

    private func nextBatch() async -> [Pending]? {
        await withCheckedContinuation { (continuation: CheckedContinuation<[Pending]?, Never>) in
            let batch = state.withLock { state -> [Pending]?? in
                if !state.queue.isEmpty { return .some(Self.takeBatch(&state, maxBatch)) }
                if state.stopped { return .some(nil) }
                state.idleWriters.append(continuation)
                return nil
            }
            if let batch { continuation.resume(returning: batch) }
        }
    }

    private static func takeBatch(_ state: inout State, _ maxBatch: Int) -> [Pending] {
        let count = min(maxBatch, state.queue.count)
        defer { state.queue.removeFirst(count) }
        return Array(state.queue.prefix(count))
    }

    private func commit(_ batch: [Pending]) async {
        // Two requests with one identity in a batch: the first is written, the second is its duplicate.
        var firstIndex: [IngestRecord.Identity: Int] = [:]
        var unique: [Pending] = []
        var repeats: [(Pending, Int)] = []
        for pending in batch {
            if let index = firstIndex[pending.record.identity] {
                repeats.append((pending, index))
            } else {
                firstIndex[pending.record.identity] = unique.count
                unique.append(pending)
            }
        }
        do {
            let outcomes = try await store.ingest(unique.map(\.record))
            for (pending, outcome) in zip(unique, outcomes) { pending.continuation.resume(returning: outcome) }
            for (pending, index) in repeats { pending.continuation.resume(returning: .duplicate(eventIDs: outcomes[index].eventIDs)) }
        } catch {
            logger.error(
                "ingest commit failed",
                metadata: ["hookgate.batch_size": "\(unique.count)", "hookgate.error": "\(String(reflecting: error))"]
            )
            if unique.count > 1 {
                // Retry one by one, so a record the database refuses cannot take its batch-mates down with it.
                for pending in unique { await commit([pending]) }
                for (pending, index) in repeats { await commit([Pending(record: pending.record, continuation: pending.continuation)]); _ = index }
            } else {
                let failure = StorageError(.unavailable, "storage unavailable")
                unique.forEach { $0.continuation.resume(throwing: failure) }
                repeats.forEach { $0.0.continuation.resume(throwing: failure) }
            }
        }
    }
}
