import AsyncHTTPClient
import Foundation
import Synchronization

/// The HTTP clients whose DNS is pinned to a vetted subscriber address, one per `host|address`, so that each keeps
/// its own connection pool. Bounded whatever the subscribers' DNS does: at most `capacity` idle clients are kept
/// (least recently used go first), and a client unused for `idleTimeout` is shut down. A client is never shut down
/// while an attempt uses it, so the cache may briefly hold more than `capacity` when that many are busy at once.
final class PinnedClients: Sendable {
    private struct Entry {
        let client: HTTPClient
        var users = 0
        var lastUsed: ContinuousClock.Instant
    }

    private let capacity: Int
    private let idleTimeout: Duration
    private let make: @Sendable (_ host: String, _ address: String) -> HTTPClient
    private let entries = Mutex<[String: Entry]>([:])

    init(capacity: Int = 64, idleTimeout: Duration = .seconds(300), make: @escaping @Sendable (_ host: String, _ address: String) -> HTTPClient) {
        self.capacity = capacity
        self.idleTimeout = idleTimeout
        self.make = make
    }

    /// How many clients are open.
    var count: Int { entries.withLock { $0.count } }

    /// Runs `body` with the client pinned to `address` for `host`, then shuts down whatever the cache let go of.
    func with<Result: Sendable>(host: String, address: String, _ body: (HTTPClient) async -> Result) async -> Result {
        let key = "\(host)|\(address)"
        let client = entries.withLock { entries -> HTTPClient in
            var entry = entries[key] ?? Entry(client: make(host, address), lastUsed: .now)
            entry.users += 1
            entries[key] = entry
            return entry.client
        }
        let result = await body(client)
        let released = entries.withLock { entries -> [HTTPClient] in
            entries[key]?.users -= 1
            entries[key]?.lastUsed = .now
            return Self.evict(&entries, capacity: capacity, idleTimeout: idleTimeout, now: .now)
        }
        await Self.shutdown(released)
        return result
    }

    /// Shuts down the clients idle longer than the idle timeout (run from the delivery loop's maintenance).
    func shutdownIdle(now: ContinuousClock.Instant = .now) async {
        await Self.shutdown(entries.withLock { Self.evict(&$0, capacity: capacity, idleTimeout: idleTimeout, now: now) })
    }

    /// Shuts down every client; the attempts have finished by then.
    func shutdownAll() async {
        await Self.shutdown(
            entries.withLock { entries in
                defer { entries = [:] }
                return entries.values.map(\.client)
            })
    }

    /// Takes out the idle entries that are past the idle timeout, then the least recently used idle ones beyond
    /// `capacity`; returns their clients.
    private static func evict(_ entries: inout [String: Entry], capacity: Int, idleTimeout: Duration, now: ContinuousClock.Instant) -> [HTTPClient] {
        var released: [HTTPClient] = []
        for (key, entry) in entries where entry.users == 0 && entry.lastUsed.duration(to: now) >= idleTimeout {
            released.append(entry.client)
            entries[key] = nil
        }
        if entries.count > capacity {
            let idle = entries.filter { $0.value.users == 0 }.sorted { $0.value.lastUsed < $1.value.lastUsed }
            for (key, entry) in idle.prefix(entries.count - capacity) {
                released.append(entry.client)
                entries[key] = nil
            }
        }
        return released
    }

    private static func shutdown(_ clients: [HTTPClient]) async {
        for client in clients { try? await client.shutdown() }
    }
}
