import Foundation
import HookGateCore
import NIOCore
import Synchronization

/// A delivery queue in memory, with the leasing rules of the SQL one: only due pending rows, live work before
/// replayed, a completion changes a row only while its owner holds the lease. For the delivery loop's tests alone;
/// storage is tested on real SQLite and PostgreSQL.
final class InMemoryDeliveryQueue: DeliveryQueue {
    struct Row: Sendable {
        var id: String
        var destination: String
        var status: DeliveryStatus = .pending
        var attempts = 0
        var nextAttemptAt: Date
        var leaseOwner: String?
        var leaseUntil: Date?
        var replayed = false
        var payload: ByteBuffer
        var recorded: [DeliveryAttempt] = []
    }

    private let rows = Mutex<[String: Row]>([:])
    private let order = Mutex<[String]>([])
    /// The most rows that were in flight at once, per destination.
    private let peakInFlight = Mutex<[String: Int]>([:])

    /// Queues one delivery per id to `destination`, due now, each carrying a small CloudEvent.
    func enqueue(_ ids: [String], to destination: String, now: Date = Date()) {
        rows.withLock { rows in
            for id in ids {
                let payload = ByteBuffer(string: #"{"specversion":"1.0","id":"evt_\#(id)","type":"test.event","source":"test"}"#)
                rows[id] = Row(id: id, destination: destination, nextAttemptAt: now, payload: payload)
            }
        }
        order.withLock { $0 += ids }
    }

    func row(_ id: String) -> Row? { rows.withLock { $0[id] } }

    func peak(_ destination: String) -> Int { peakInFlight.withLock { $0[destination] ?? 0 } }

    func claimDeliveries(
        destination: String, limit: Int, replayLimit: Int, owner: String, now: Date, leaseUntil: Date
    ) async throws -> [ClaimedDelivery] {
        let order = order.withLock { $0 }
        return rows.withLock { rows in
            let due = order.compactMap { rows[$0] }.filter { $0.destination == destination && $0.status == .pending && $0.nextAttemptAt <= now }
            let picked = Array((due.filter { !$0.replayed } + due.filter(\.replayed).prefix(replayLimit)).prefix(max(0, limit)))
            for row in picked {
                rows[row.id]?.status = .inFlight
                rows[row.id]?.leaseOwner = owner
                rows[row.id]?.leaseUntil = leaseUntil
            }
            let inFlight = rows.values.filter { $0.destination == destination && $0.status == .inFlight }.count
            peakInFlight.withLock { $0[destination] = max($0[destination] ?? 0, inFlight) }
            return picked.map {
                ClaimedDelivery(
                    id: $0.id, eventID: "evt_" + $0.id, destination: destination, attempts: $0.attempts, seriesStart: 0, payload: $0.payload,
                    replayed: $0.replayed)
            }
        }
    }

    func nextDue(destination: String) async throws -> Date? {
        rows.withLock { rows in rows.values.filter { $0.destination == destination && $0.status == .pending }.map(\.nextAttemptAt).min() }
    }

    func releaseExpiredLeases(now: Date, destination: String?) async throws -> Int {
        rows.withLock { rows in
            let expired = rows.values.filter {
                $0.status == .inFlight && ($0.leaseUntil ?? .distantFuture) < now && (destination == nil || $0.destination == destination)
            }
            for row in expired {
                rows[row.id]?.status = .pending
                rows[row.id]?.leaseOwner = nil
                rows[row.id]?.leaseUntil = nil
            }
            return expired.count
        }
    }

    func completeDeliveries(_ completions: [DeliveryCompletion], owner: String, now: Date) async throws -> [Bool] {
        rows.withLock { rows in
            completions.map { completion in
                guard var row = rows[completion.deliveryID] else { return false }
                row.recorded.append(completion.attempt)
                defer { rows[row.id] = row }
                guard row.status == .inFlight, row.leaseOwner == owner else { return false }
                row.attempts = completion.attempt.number
                row.leaseOwner = nil
                row.leaseUntil = nil
                switch completion.decision {
                case .succeeded: row.status = .succeeded
                case .retry(let at):
                    row.status = .pending
                    row.nextAttemptAt = at
                case .dead: row.status = .dead
                case .cancelled: row.status = .cancelled
                }
                return true
            }
        }
    }

    func backlog(now: Date) async throws -> [String: DestinationBacklog] {
        rows.withLock { rows in
            var backlog: [String: DestinationBacklog] = [:]
            for row in rows.values {
                var entry = backlog[row.destination] ?? DestinationBacklog()
                switch row.status {
                case .pending:
                    entry.pending += 1
                    if row.nextAttemptAt <= now { entry.due += 1 }
                    entry.oldestPending = min(entry.oldestPending ?? row.nextAttemptAt, row.nextAttemptAt)
                case .inFlight: entry.inFlight += 1
                case .dead: entry.dead += 1
                default: continue
                }
                backlog[row.destination] = entry
            }
            return backlog
        }
    }

    func watchNewDeliveries(_ onNew: @escaping @Sendable () -> Void) async throws -> Bool { false }
}
