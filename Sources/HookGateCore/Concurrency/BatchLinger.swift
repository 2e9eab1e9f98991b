/// When a group-commit writer should wait for batch-mates before committing, from how often records arrive.
///
/// Under moderate load a commit is quicker than the gap between records, so without a wait each record would go
/// alone and pay a whole commit: every page it touches written to the log, a sync, and the hops between threads (at
/// 1,000 records/s, four to six times the CPU per record of full load; docs/benchmarks.md). When records come faster
/// than one per `limit`, a writer holding fewer than `batch` of them waits for about as long as the rest should take
/// to arrive, never more than `limit`. When they come slower, waiting would only add latency, and there is none.
public struct BatchLinger: Sendable {
    /// The longest wait; zero turns waiting off.
    public let limit: Duration
    /// The batch size at which a writer goes ahead at once.
    public let batch: Int
    /// Moving average of the time between records, from the first gap on (recent gaps weigh most; a pause counts
    /// as at most a second, so that activity after it soon counts again).
    private var meanGap: Duration?
    private var lastArrival: ContinuousClock.Instant?

    /// The group commit's: at most 2 ms, for up to 4 records. Constants rather than configuration: they trade at
    /// most 2 ms of latency, well inside any provider's timeout (docs/decisions.md).
    public static let groupCommit = BatchLinger(limit: .milliseconds(2), batch: 4)

    public init(limit: Duration, batch: Int) {
        self.limit = limit
        self.batch = batch
    }

    public mutating func noteArrival(at now: ContinuousClock.Instant) {
        if let lastArrival {
            let gap = min(lastArrival.duration(to: now), .seconds(1))
            meanGap = meanGap.map { ($0 * 7 + gap) / 8 } ?? gap
        }
        lastArrival = now
    }

    /// How long a writer finding `queued` records should wait for more, or nil to commit them now.
    public func wait(queued: Int) -> Duration? {
        guard limit > .zero, queued < batch, let meanGap, meanGap < limit else { return nil }
        return min(limit, meanGap * (batch - queued))
    }
}
