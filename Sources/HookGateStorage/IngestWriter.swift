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
    private struct Pending {
        let record: IngestRecord
        let reply: Reply
    }

    private struct State {
        var queue: [Pending] = []
        /// Writers waiting for work: resumed with true when a record is queued, false when stopping.
        var idleWriters: [CheckedContinuation<Bool, Never>] = []
        var inFlight: [Reply] = []
        var stopped = false
        var linger = BatchLinger.groupCommit
    }

    private let store: any IngestStore
    private let maxBatch: Int
    private let writers: Int
    private let commitTimeout: Duration
    private let logger: Logger
    private let state = Mutex(State())

    /// - Parameters:
    ///   - writers: transactions in flight at once (1 for SQLite, which has one writer anyway).
    ///   - maxBatch: the most records in one transaction.
    ///   - commitTimeout: the longest a caller waits for its commit.
    public init(store: any IngestStore, writers: Int, maxBatch: Int = 256, commitTimeout: Duration = .seconds(5), logger: Logger) {
        self.store = store
        self.writers = max(1, writers)
        self.maxBatch = max(1, maxBatch)
        self.commitTimeout = commitTimeout
        self.logger = logger
    }

    public var description: String { "IngestWriter" }

    /// Stores the record (or finds it already stored) and returns once that is durable.
    /// Throws ``StorageError`` when it was not committed in time; nothing about the record is then acknowledged.
    public func ingest(_ record: IngestRecord) async throws -> IngestOutcome {
        let now = ContinuousClock.now
        return try await withCheckedThrowingContinuation { continuation in
            let reply = Reply(continuation, deadline: now + commitTimeout)
            enum Next {
                case refuse
                case wake(CheckedContinuation<Bool, Never>)
                case none
            }
            let next = state.withLock { state -> Next in
                guard !state.stopped else { return .refuse }
                state.queue.append(Pending(record: record, reply: reply))
                state.linger.noteArrival(at: now)
                return state.idleWriters.popLast().map(Next.wake) ?? .none
            }
            switch next {
            case .refuse: reply.send(.failure(StorageError(.shuttingDown, "shutting down")))
            case .wake(let writer): writer.resume(returning: true)
            case .none: break
            }
        }
    }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            for _ in 0..<writers {
                group.addTask {
                    while let batch = await self.nextBatch() {
                        await self.commit(batch)
                        self.finished(batch)
                    }
                }
            }
            group.addTask { await self.expireOverdue() }
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
        idle.forEach { $0.resume(returning: false) }
    }

    private func nextBatch() async -> [Pending]? {
        while await workQueued() {
            if let wait = lingerTime() { try? await Task.sleep(for: wait) }
            // Empty when another writer or the overdue sweep took the records meanwhile.
            if let batch = state.withLock({ $0.queue.isEmpty ? nil : Self.takeBatch(&$0, maxBatch) }) { return batch }
        }
        return nil
    }

    /// Waits until a record is queued (true) or the writer is stopped with nothing left to commit (false).
    private func workQueued() async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let ready = state.withLock { state -> Bool? in
                if !state.queue.isEmpty { return true }
                if state.stopped { return false }
                state.idleWriters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// How long to wait for batch-mates; nothing once intake has stopped (what is queued then is all there is).
    private func lingerTime() -> Duration? {
        state.withLock { $0.stopped ? nil : $0.linger.wait(queued: $0.queue.count) }
    }

    private static func takeBatch(_ state: inout State, _ maxBatch: Int) -> [Pending] {
        let count = min(maxBatch, state.queue.count)
        let batch = Array(state.queue.prefix(count))
        state.queue.removeFirst(count)
        state.inFlight.append(contentsOf: batch.map(\.reply))
        return batch
    }

    private func finished(_ batch: [Pending]) {
        let done = Set(batch.map { ObjectIdentifier($0.reply) })
        state.withLock { $0.inFlight.removeAll { done.contains(ObjectIdentifier($0)) } }
    }

    /// Answers callers whose commit is overdue; queued records that never reached a transaction are dropped.
    private func expireOverdue() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(250))
            let now = ContinuousClock.now
            let overdue = state.withLock { state -> [Reply] in
                let expiredQueue = state.queue.filter { $0.reply.deadline <= now }.map(\.reply)
                state.queue.removeAll { $0.reply.deadline <= now }
                return expiredQueue + state.inFlight.filter { $0.deadline <= now }
            }
            for reply in overdue { reply.send(.failure(StorageError(.unavailable, "commit did not complete in time"))) }
            if state.withLock({ $0.stopped && $0.queue.isEmpty && $0.inFlight.isEmpty }) { return }
        }
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
            for (pending, outcome) in zip(unique, outcomes) { pending.reply.send(.success(outcome)) }
            for (pending, index) in repeats { pending.reply.send(.success(.duplicate(eventIDs: outcomes[index].eventIDs))) }
        } catch {
            logger.error(
                "ingest commit failed",
                metadata: ["hookgate.batch_size": "\(unique.count)", "hookgate.error": "\(String(reflecting: error))"]
            )
            if batch.count > 1 {
                // Retry one by one, so a record the database refuses cannot take its batch-mates down with it.
                for pending in batch { await commit([pending]) }
            } else {
                batch.forEach { $0.reply.send(.failure(StorageError(.unavailable, "storage unavailable"))) }
            }
        }
    }
}

/// The one answer a caller gets: the first `send` resumes it, later ones (a commit after its deadline) are ignored.
private final class Reply: Sendable {
    let deadline: ContinuousClock.Instant
    private let continuation: Mutex<CheckedContinuation<IngestOutcome, any Error>?>

    init(_ continuation: CheckedContinuation<IngestOutcome, any Error>, deadline: ContinuousClock.Instant) {
        self.continuation = Mutex(continuation)
        self.deadline = deadline
    }

    func send(_ result: Result<IngestOutcome, any Error>) {
        let waiting = continuation.withLock { value in
            defer { value = nil }
            return value
        }
        waiting?.resume(with: result)
    }
}
