import Foundation
import HookGateCore
import NIOCore
import NIOFoundationCompat

/// What an erasure removes: one customer's data, or everything a source holds (Shopify's `shop/redact`).
public enum ErasureScope: Sendable, Equatable {
    case customer(CustomerKeys)
    case everything

    /// The scope without the customer's values, for the erasure's record and the audit log.
    public var description: String {
        switch self {
        case .customer(let keys):
            "customer "
                + [keys.id.map { _ in "id" }, keys.email.map { _ in "email" }, keys.phone.map { _ in "phone" }].compactMap(\.self).joined(
                    separator: ", ")
        case .everything: "everything"
        }
    }
}

/// One erasure (DESIGN.md §13): every event in scope is read a window at a time in id order, storage narrowing each
/// window to payloads that contain one of the customer's values; each candidate is decided on its parsed CloudEvent,
/// and the matches are erased a batch per short transaction, resting between them, so ingest goes on meanwhile.
public struct Eraser: Sendable {
    let store: any ErasureStore
    /// Events per window of the scan.
    let window: Int
    /// Events per erasing transaction.
    let batch: Int
    /// Time resting after each erasing transaction for each unit of time it took: erasing a customer who is in a
    /// quarter of the store must leave ingest most of the writer (docs/benchmarks.md, "Erasing one customer").
    static let restPerWork = 2

    public init(store: any ErasureStore, window: Int = 10_000, batch: Int = 200) {
        self.store = store
        self.window = window
        self.batch = batch
    }

    /// Erases `scope` in `sources` (nil: all), never the event `keeping` (the privacy request that started it, which
    /// is delivered like any other). `progress` hears the running counts after each window. Stops between windows,
    /// with what it did so far, when the task is cancelled.
    public func run(
        _ scope: ErasureScope, sources: [String]?, keeping: String? = nil, now: @Sendable () -> Date = Date.init,
        progress: (ErasureCounts) async throws -> Void
    ) async throws -> ErasureCounts {
        var total = ErasureCounts()
        var after: String?
        let needles: [String]? =
            switch scope {
            case .customer(let keys): keys.needles
            case .everything: nil
            }
        while true {
            try Task.checkCancellation()
            let found = try await store.erasureWindow(after: after, limit: window, sources: sources, needles: needles)
            guard let last = found.last else { break }
            let matched = found.candidates.compactMap { candidate in
                candidate.eventID == keeping ? nil : Self.redacted(candidate, scope: scope)
            }
            var offset = 0
            while offset < matched.count {
                let chunk = Array(matched[offset..<min(offset + batch, matched.count)])
                let started = ContinuousClock.now
                total = total + (try await store.erase(chunk, now: now()))
                offset += chunk.count
                try await Task.sleep(for: started.duration(to: .now) * Self.restPerWork)
            }
            total.scanned += found.scanned
            after = last
            try await progress(total)
        }
        // Receipts that made no event have no canonical fields: their raw bodies are searched for the email and phone.
        let raw: [String]?
        switch scope {
        case .customer(let keys):
            guard !keys.rawNeedles.isEmpty else { return total }
            raw = keys.rawNeedles
        case .everything:
            raw = nil
        }
        for status in Normalization.Status.eventless {
            var after: String?
            while true {
                try Task.checkCancellation()
                let started = ContinuousClock.now
                let found = try await store.eraseEventlessReceipts(status: status, after: after, limit: window, sources: sources, needles: raw)
                guard let last = found.last else { break }
                total.receipts += found.erased
                after = last
                try await Task.sleep(for: started.duration(to: .now) * Self.restPerWork)
            }
        }
        try await progress(total)
        return total
    }

    /// The candidate as erased, or nil when it does not name the customer: `data` becomes `{"redacted": true}` and a
    /// subject that is one of the customer's values goes too; id, type, source and time stay.
    static func redacted(_ candidate: ErasureCandidate, scope: ErasureScope) -> RedactedEvent? {
        var dropSubject = false
        if case .customer(let keys) = scope {
            guard let tape = JSONTape(parsing: candidate.payload), keys.matches(tape.root) else { return nil }
            dropSubject = tape.root["subject"]?.string.map(keys.names) ?? false
        }
        guard var event = (try? JSONSerialization.jsonObject(with: Data(buffer: candidate.payload))) as? [String: Any] else { return nil }
        event["data"] = ["redacted": true]
        if dropSubject || scope == .everything { event["subject"] = nil }
        guard let bytes = try? JSONSerialization.data(withJSONObject: event, options: [.sortedKeys, .withoutEscapingSlashes]) else { return nil }
        return RedactedEvent(
            eventID: candidate.eventID, receiptID: candidate.receiptID, payload: ByteBuffer(data: bytes),
            dropSubject: dropSubject || scope == .everything)
    }
}
