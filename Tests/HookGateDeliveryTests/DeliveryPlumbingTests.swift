import AsyncHTTPClient
import Foundation
import HookGateCore
import Synchronization
import Testing

@testable import HookGateDelivery

/// The parts of the delivery loop that keep one misbehaving peer from costing others: outcome batches, snippets
/// that every backend can store, and the bounded cache of pinned clients.
@Suite("Delivery plumbing")
struct DeliveryPlumbingTests {
    private func completion(_ id: String) -> DeliveryCompletion {
        DeliveryCompletion(
            deliveryID: id,
            attempt: DeliveryAttempt(number: 1, startedAt: Date(), durationMilliseconds: 1, statusCode: 200, error: nil, responseSnippet: nil),
            decision: .succeeded
        )
    }

    @Test("a batch that fails is retried row by row: only the bad row fails, each good one is committed once")
    func batchFallsBackToRows() async throws {
        let committed = Mutex<[String]>([])
        let batcher = CompletionBatcher { completions in
            if completions.contains(where: { $0.deliveryID == "poison" }) { throw StorageError(.unavailable, "refused") }
            committed.withLock { $0 += completions.map(\.deliveryID) }
            return completions.map { _ in true }
        }
        // A commit under way while the others queue: they all go in the next batch, the poisoned one with them.
        let writer = Task { await batcher.run() }
        let ids = (0..<12).map { $0 == 5 ? "poison" : "dlv_\($0)" }
        let results = await withTaskGroup(of: (String, Bool?).self) { group in
            for id in ids {
                group.addTask { (id, try? await batcher.complete(completion(id))) }
            }
            return await group.reduce(into: [String: Bool?]()) { $0[$1.0] = $1.1 }
        }
        batcher.stop()
        await writer.value
        #expect(results["poison"] == .some(nil), "the bad row fails")
        for id in ids where id != "poison" { #expect(results[id] == .some(true), "\(id) is recorded") }
        let counts = committed.withLock { Dictionary($0.map { ($0, 1) }, uniquingKeysWith: +) }
        #expect(counts.count == 11 && counts.values.allSatisfy { $0 == 1 }, "each good row committed exactly once: \(counts)")
    }

    @Test("snippets are valid text without NUL, at most the limit in UTF-8 bytes, cut between characters")
    func snippets() throws {
        let gzip: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xFF, 0xC3, 0x28, 0x00]
        let text = try #require(ResponseSnippet.text(gzip, limit: 4_096))
        #expect(!text.utf8.contains(0))
        #expect(text.contains("\u{FFFD}"))
        let binary = (0..<8_192).map { UInt8(truncatingIfNeeded: $0 &* 131) }
        let cut = try #require(ResponseSnippet.text(binary, limit: 4_096))
        #expect(cut.utf8.count <= 4_096 && !cut.utf8.contains(0))
        // "é" is two bytes: a limit of 3 keeps one whole character, never half of the second.
        #expect(ResponseSnippet.text(Array("éé".utf8), limit: 3) == "é")
        #expect(ResponseSnippet.text("sink says 500".utf8, limit: 4_096) == "sink says 500")
        #expect(ResponseSnippet.text([UInt8](), limit: 4_096) == nil)
    }

    @Test("pinned clients: at most the capacity idle, none past the idle timeout, never one in use")
    func pinnedClients() async throws {
        let made = Mutex(0)
        let clients = PinnedClients(capacity: 2, idleTimeout: .seconds(300)) { host, address in
            made.withLock { $0 += 1 }
            return HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init())
        }
        for host in ["a.example", "b.example", "c.example"] {
            await clients.with(host: host, address: "192.0.2.1") { _ in () }
        }
        #expect(clients.count == 2, "the least recently used one went")
        await clients.with(host: "c.example", address: "192.0.2.1") { _ in () }
        #expect(made.withLock { $0 } == 3, "a cached client is reused")
        await clients.with(host: "d.example", address: "192.0.2.1") { _ in
            await clients.shutdownIdle(now: .now + .seconds(301))
            #expect(clients.count == 1, "the idle ones are gone, the one in use stays")
        }
        await clients.shutdownIdle(now: .now + .seconds(301))
        #expect(clients.count == 0)
        await clients.shutdownAll()
    }
}
