import HookGateCore
import Synchronization
import Testing

/// The group commit's queue alone: what a writer takes while another commit is under way, and how stopping drains.
@Suite("Group commit queue")
struct GroupCommitTests {
    private struct Refused: Error {}

    /// The batches a writer took, in order.
    private final class Taken: Sendable {
        let batches = Mutex<[[Int]]>([])
        func append(_ items: [Int]) { batches.withLock { $0.append(items) } }
    }

    /// Waits until `condition` holds, yielding to the other tasks meanwhile.
    private func eventually(_ condition: () -> Bool) async {
        while !condition() { await Task.yield() }
    }

    @Test("items queued during a commit go together in the next batch, up to maxBatch, each caller answered with its own result")
    func batchesGrowWhileCommitting() async throws {
        let queue = GroupCommit<Int, Int>(maxBatch: 8)
        let taken = Taken()
        let results = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            group.addTask {
                (-1, try await queue.submit(0, refusal: Refused()))
            }
            // The writer takes the first item alone, and holds it until eleven more are queued behind it.
            let first = try #require(await queue.nextBatch())
            taken.append(first.map(\.item))
            for n in 1...11 { group.addTask { (n, try await queue.submit(n, refusal: Refused())) } }
            // Started only once all eleven are queued, so its first batch is the full eight.
            await eventually { queue.queuedCount == 11 }
            let writer = Task {
                while let batch = await queue.nextBatch() {
                    taken.append(batch.map(\.item))
                    batch.forEach { $0.resolve(.success($0.item * 10)) }
                    queue.finished(batch)
                }
            }
            await eventually { queue.queuedCount == 11 }
            first.forEach { $0.resolve(.success(0)) }
            var results: [Int: Int] = [:]
            for try await (n, result) in group where n >= 0 { results[n] = result }
            queue.stop()
            await writer.value
            return results
        }
        let batches = taken.batches.withLock { $0 }
        #expect(batches.first == [0])
        #expect(batches.dropFirst().map(\.count) == [8, 3], "the eleven queued during the first commit, in batches of at most 8: \(batches)")
        #expect(Set(batches.dropFirst().joined()) == Set(1...11))
        #expect((1...11).allSatisfy { results[$0] == $0 * 10 }, "each caller gets its own item's result: \(results)")
    }

    @Test("stopping refuses new items at once, and the writer still drains what was queued before")
    func stopDrains() async throws {
        let queue = GroupCommit<Int, String>(maxBatch: 100)
        let queued = Task { try await queue.submit(7, refusal: Refused()) }
        // Stop only once the item is queued: a writer that finds it must still commit it.
        await eventually { queue.queuedCount == 1 }
        queue.stop()
        await #expect(throws: Refused.self) { try await queue.submit(8, refusal: Refused()) }
        let batch = try #require(await queue.nextBatch())
        #expect(batch.map(\.item) == [7])
        batch.forEach { $0.resolve(.success("seven")) }
        #expect(try await queued.value == "seven")
        #expect(await queue.nextBatch() == nil, "stopped and drained")
    }
}
