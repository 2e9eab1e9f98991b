import HookGateCore
import HookGateStorage
import HookGateTesting
import Logging
import Synchronization
import Testing

/// The real store, with a record of each transaction the writer asked for: how many records went in each.
private final class CountingIngestStore: IngestStore {
    let store: any IngestStore
    let batches = Mutex<[Int]>([])

    init(_ store: any IngestStore) {
        self.store = store
    }

    func ingest(_ records: [IngestRecord]) async throws -> [IngestOutcome] {
        batches.withLock { $0.append(records.count) }
        return try await store.ingest(records)
    }

    func announceNewDeliveries() async throws {
        try await store.announceNewDeliveries()
    }
}

@Suite("Group commit")
struct IngestWriterTests {
    @Test("concurrent ingests share commits, and each caller gets its own record's outcome", arguments: TestBackend.available)
    func concurrentIngests(backend: TestBackend) async throws {
        try await withTestStore(backend) { store in
            let counting = CountingIngestStore(store)
            let writer = IngestWriter(store: counting, writers: 1, logger: Logger(label: "test"))
            let source = uniqueSourceID()
            // Enough records that the later ones arrive while the writer waits for batch-mates (BatchLinger).
            let records = (0..<120).map { makeRecord(source: source, key: "k\($0)") }
            // A provider's retry of record 7, racing the original: whichever commits first is stored.
            let retry = makeRecord(source: source, key: "k7")
            let outcomes = try await withThrowingTaskGroup(of: [Int: IngestOutcome].self) { group in
                group.addTask {
                    try await writer.run()
                    return [:]
                }
                defer { group.cancelAll() }
                return try await withThrowingTaskGroup(of: (Int, IngestOutcome).self) { ingests in
                    for (index, record) in (records + [retry]).enumerated() {
                        ingests.addTask { (index, try await writer.ingest(record)) }
                    }
                    var outcomes: [Int: IngestOutcome] = [:]
                    for try await (index, outcome) in ingests { outcomes[index] = outcome }
                    return outcomes
                }
            }
            for (index, record) in records.enumerated() where index != 7 {
                #expect(outcomes[index] == .stored(eventIDs: record.events.map(\.id)))
            }
            let pair = [(records[7], outcomes[7]), (retry, outcomes[records.count])]
            let stored = pair.filter { record, outcome in outcome == .stored(eventIDs: record.events.map(\.id)) }
            #expect(stored.count == 1, "one of the two is stored: \(pair.map(\.1))")
            if let (original, _) = stored.first {
                #expect(pair.filter { $0.1 == .duplicate(eventIDs: original.events.map(\.id)) }.count == 1, "the other is its duplicate")
            }
            let page = try await store.events(EventQuery(source: source, limit: 200, after: nil))
            #expect(page.items.count == records.count, "every record stored once")
            // Shared: 121 callers at once, one writer, so far fewer transactions than records, and several in one.
            let batches = counting.batches.withLock { $0 }
            // The retry goes in too, unless it met its original in one batch, where the writer answers it itself.
            #expect((records.count...records.count + 1).contains(batches.reduce(0, +)), "every key went to a transaction: \(batches)")
            #expect(batches.count < (records.count + 1) / 4 && (batches.max() ?? 0) >= 8, "commits shared: \(batches)")
        }
    }
}
