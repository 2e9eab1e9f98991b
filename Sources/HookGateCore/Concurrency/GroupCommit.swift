import Synchronization

/// The queue of a group commit: callers hand in items and wait, writers take what is queued in batches and answer
/// each caller with its own result. Ingest (``IngestStore``) and delivery outcomes (``DeliveryQueue``) commit
/// through it, each with its own writer loop around it.
///
/// While a writer commits, new items queue up, and the next batch takes all of them up to `maxBatch`, so a batch
/// grows with the commit latency. With a ``BatchLinger`` a writer that finds few items waits a little for more
/// first; with a `timeout` each caller is answered by then at the latest (``expireOverdue(failure:)``).
public final class GroupCommit<Item: Sendable, Output: Sendable>: Sendable {
    /// One caller's item and the one answer it gets: the first ``resolve(_:)`` resumes it, later ones (a commit
    /// after its deadline) are ignored.
    public final class Ticket: Sendable {
        public let item: Item
        let deadline: ContinuousClock.Instant?
        private let continuation: Mutex<CheckedContinuation<Output, any Error>?>

        fileprivate init(_ item: Item, deadline: ContinuousClock.Instant?, _ continuation: CheckedContinuation<Output, any Error>) {
            self.item = item
            self.deadline = deadline
            self.continuation = Mutex(continuation)
        }

        public func resolve(_ result: Result<Output, any Error>) {
            let waiting = continuation.withLock { value in
                defer { value = nil }
                return value
            }
            waiting?.resume(with: result)
        }

        fileprivate func overdue(at now: ContinuousClock.Instant) -> Bool {
            deadline.map { $0 <= now } ?? false
        }
    }

    private struct State {
        var queue: [Ticket] = []
        /// Writers waiting for work: resumed with true when an item is queued, false when stopping.
        var idleWriters: [CheckedContinuation<Bool, Never>] = []
        /// Taken by a writer and not yet finished; kept only with a timeout, for ``expireOverdue(failure:)``.
        var inFlight: [Ticket] = []
        var stopped = false
        var linger: BatchLinger?
    }

    private let maxBatch: Int
    private let timeout: Duration?
    private let state: Mutex<State>

    /// - Parameters:
    ///   - maxBatch: the most items in one batch.
    ///   - linger: when a writer waits for batch-mates; nil never waits.
    ///   - timeout: the longest a caller waits for its answer; nil waits for the writer.
    public init(maxBatch: Int, linger: BatchLinger? = nil, timeout: Duration? = nil) {
        self.maxBatch = max(1, maxBatch)
        self.timeout = timeout
        state = Mutex(State(linger: linger))
    }

    /// Items waiting for a writer.
    public var queuedCount: Int { state.withLock { $0.queue.count } }

    /// Queues `item` and returns its writer's answer; throws `refusal` at once when stopped.
    public func submit(_ item: Item, refusal: @autoclosure @Sendable () -> any Error) async throws -> Output {
        let now = ContinuousClock.now
        return try await withCheckedThrowingContinuation { continuation in
            let ticket = Ticket(item, deadline: timeout.map { now + $0 }, continuation)
            let (accepted, writer) = state.withLock { state -> (Bool, CheckedContinuation<Bool, Never>?) in
                guard !state.stopped else { return (false, nil) }
                state.queue.append(ticket)
                state.linger?.noteArrival(at: now)
                return (true, state.idleWriters.popLast())
            }
            if !accepted { ticket.resolve(.failure(refusal())) }
            writer?.resume(returning: true)
        }
    }

    /// The next batch for a writer, after waiting for work (and for batch-mates, with a linger); nil once stopped
    /// with nothing left. A writer that gets a batch resolves every ticket in it and then calls ``finished(_:)``.
    public func nextBatch() async -> [Ticket]? {
        while await workQueued() {
            if let wait = state.withLock({ $0.stopped ? nil : $0.linger?.wait(queued: $0.queue.count) }) { try? await Task.sleep(for: wait) }
            // Empty when another writer or the overdue sweep took the items meanwhile.
            let batch = state.withLock { state -> [Ticket]? in
                guard !state.queue.isEmpty else { return nil }
                let count = min(maxBatch, state.queue.count)
                let batch = Array(state.queue.prefix(count))
                state.queue.removeFirst(count)
                if timeout != nil { state.inFlight.append(contentsOf: batch) }
                return batch
            }
            if let batch { return batch }
        }
        return nil
    }

    /// A writer is done with `batch`: every ticket in it is resolved.
    public func finished(_ batch: [Ticket]) {
        guard timeout != nil else { return }
        let done = Set(batch.map(ObjectIdentifier.init))
        state.withLock { $0.inFlight.removeAll { done.contains(ObjectIdentifier($0)) } }
    }

    /// Takes no more items; writers drain what is queued, then ``nextBatch()`` returns nil.
    public func stop() {
        let idle = state.withLock { state in
            state.stopped = true
            defer { state.idleWriters = [] }
            return state.idleWriters
        }
        idle.forEach { $0.resume(returning: false) }
    }

    /// Answers overdue callers with `failure()` every 250 ms (items still queued are dropped, ones being committed
    /// keep going) until stopped and empty. Only with a timeout.
    public func expireOverdue(failure: @Sendable () -> any Error) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(250))
            let now = ContinuousClock.now
            let overdue = state.withLock { state -> [Ticket] in
                let expired = state.queue.filter { $0.overdue(at: now) }
                state.queue.removeAll { $0.overdue(at: now) }
                return expired + state.inFlight.filter { $0.overdue(at: now) }
            }
            for ticket in overdue { ticket.resolve(.failure(failure())) }
            if state.withLock({ $0.stopped && $0.queue.isEmpty && $0.inFlight.isEmpty }) { return }
        }
    }

    /// Waits until an item is queued (true) or the queue is stopped with nothing left (false).
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
}
