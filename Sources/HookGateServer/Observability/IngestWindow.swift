import Foundation
import Synchronization

/// Ingest requests by source and outcome over the last hour, in one-minute buckets, for the console's overview.
///
/// Rejections (401, 413, 429) are never stored, so the database cannot answer this; the metrics registry can only
/// give totals since start. This instance's memory can: a fixed ring of 60 minutes × sources × outcomes, one
/// uncontended lock per request, no allocation after start.
final class IngestWindow: Sendable {
    /// One minute's counts and the minute (since the epoch) they belong to; a bucket from an older minute is stale.
    private struct Buckets {
        var minutes: [Int]
        var counts: [Int]
    }

    static let minutes = 60
    private let sources: [String]
    private let sourceIndex: [String: Int]
    private let outcomes = HookGateMetrics.Outcome.allCases
    private let buckets: Mutex<Buckets>

    /// `sources` are the labels requests are counted under, the unknown-source label among them.
    init(sources labels: [String]) {
        var seen = Set<String>()
        let sources = labels.filter { seen.insert($0).inserted }
        self.sources = sources
        sourceIndex = Dictionary(uniqueKeysWithValues: sources.enumerated().map { ($1, $0) })
        buckets = Mutex(
            Buckets(
                minutes: Array(repeating: -1, count: Self.minutes), counts: Array(repeating: 0, count: Self.minutes * sources.count * outcomes.count))
        )
    }

    private func offset(slot: Int, source: Int, outcome: Int) -> Int {
        (slot * sources.count + source) * outcomes.count + outcome
    }

    func record(source: String, outcome: HookGateMetrics.Outcome, at now: Date = Date()) {
        guard let source = sourceIndex[source], let outcome = outcomes.firstIndex(of: outcome) else { return }
        let minute = Int((now.timeIntervalSince1970 / 60).rounded(.down))
        let slot = minute % Self.minutes
        let width = sources.count * outcomes.count
        buckets.withLock { buckets in
            if buckets.minutes[slot] != minute {
                buckets.minutes[slot] = minute
                let start = slot * width
                for index in start..<(start + width) { buckets.counts[index] = 0 }
            }
            buckets.counts[offset(slot: slot, source: source, outcome: outcome)] += 1
        }
    }

    /// The non-zero counts of the hour before `now` (this minute included), by source and outcome.
    func lastHour(at now: Date = Date()) -> [(source: String, outcome: HookGateMetrics.Outcome, count: Int)] {
        let minute = Int((now.timeIntervalSince1970 / 60).rounded(.down))
        return buckets.withLock { buckets in
            var totals: [(source: String, outcome: HookGateMetrics.Outcome, count: Int)] = []
            for source in sources.indices {
                for outcome in outcomes.indices {
                    var count = 0
                    for slot in 0..<Self.minutes where buckets.minutes[slot] > minute - Self.minutes && buckets.minutes[slot] <= minute {
                        count += buckets.counts[offset(slot: slot, source: source, outcome: outcome)]
                    }
                    if count > 0 { totals.append((sources[source], outcomes[outcome], count)) }
                }
            }
            return totals
        }
    }
}
