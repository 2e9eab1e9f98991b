import Foundation
import HTTPTypes
import HookGateCore
import HookGateProviders
import HookGateStorage

/// Runs normalization again over stored receipts (`hookgate renormalize`), for when an upgrade maps payloads
/// better than the version that received them.
///
/// Idempotent: an event keeps its id and is rewritten only when what it says changed; a receipt that now yields
/// more events (an `unparsed` one that parses, say) gets the new ones with deliveries by today's routes and
/// subscriptions. Events are never removed: consumers may already have them. Verification is not repeated; the
/// receipt was verified when it arrived.
public struct Renormalizer {
    let store: any EventStore
    let configuration: HookGateConfiguration

    public init(store: any EventStore, configuration: HookGateConfiguration) {
        self.store = store
        self.configuration = configuration
    }

    /// What a run did.
    public struct Summary: Sendable, Equatable {
        public var receipts = 0
        /// Receipts whose status or events changed.
        public var changed = 0
        public var eventsUpdated = 0
        public var eventsCreated = 0
        /// Receipts of sources no longer configured (and HookGate's own test events): left as they are.
        public var skipped = 0
    }

    /// Walks the receipts received since `since` (all when nil), newest first; `progress` sees the running summary.
    /// A run that changed anything is recorded in the audit log under `actor`.
    public func run(since: Date?, actor: String, progress: (Summary) -> Void = { _ in }) async throws -> Summary {
        let sources = Dictionary(uniqueKeysWithValues: configuration.sources.map { ($0.id, ProviderRegistry.provider(for: $0)) })
        let fanOut = FanOut(configuration: configuration)
        fanOut.subscribe(try await store.subscriptions())
        let intake = Intake(fanOut: fanOut)
        var summary = Summary()
        var cursor: String?
        walk: while true {
            let page = try await store.receipts(ReceiptQuery(limit: 200, after: cursor))
            for receipt in page.items {
                if let since, receipt.receivedAt < since { break walk }
                summary.receipts += 1
                guard let provider = sources[receipt.sourceID] else {
                    summary.skipped += 1
                    continue
                }
                let (status, events, updated) = try await renormalized(receipt, provider: provider, intake: intake)
                let existing = min(events.count, receipt.eventIDs.count)
                let created = events.count - existing
                guard updated > 0 || created > 0 || status != receipt.status else { continue }
                try await store.renormalize(receiptID: receipt.id, status: status, events: events, existing: existing)
                summary.changed += 1
                summary.eventsUpdated += updated
                summary.eventsCreated += created
            }
            progress(summary)
            guard let next = page.nextCursor else { break }
            cursor = next
        }
        if summary.changed > 0 {
            let audit = Audit.entry(
                actor: actor, action: "receipts.renormalize", target: since.map { "since " + Timestamp.rfc3339($0) } ?? "all receipts"
            ) { writer in
                writer.field("receipts", summary.receipts)
                writer.field("changed", summary.changed)
                writer.field("events_updated", summary.eventsUpdated)
                writer.field("events_created", summary.eventsCreated)
            }
            try await store.appendAudit(audit)
        }
        return summary
    }

    /// The receipt's status and events as today's code maps them, ids kept sequence by sequence, and how many of the
    /// stored events changed.
    private func renormalized(
        _ receipt: StoredReceipt, provider: any Provider, intake: Intake
    ) async throws -> (status: Normalization.Status, events: [IngestRecord.Event], updated: Int) {
        let webhook = Self.webhook(receipt)
        let normalization = provider.normalize(webhook)
        var updated = 0
        var events: [IngestRecord.Event] = []
        for (sequence, normalized) in normalization.events.enumerated() {
            var event = normalized
            let existingID = sequence < receipt.eventIDs.count ? receipt.eventIDs[sequence] : nil
            event.id = existingID ?? Identifier.make(prefix: "evt_", now: receipt.receivedAt)
            // An event that exists has its deliveries already; only a new one is fanned out.
            let record = intake.event(event, of: webhook, fannedOut: existingID == nil)
            if let existingID {
                if try await store.event(id: existingID)?.payload != record.payload { updated += 1 }
            }
            events.append(record)
        }
        return (normalization.status, events, updated)
    }

    /// The request as it arrived, rebuilt from the stored headers and body.
    static func webhook(_ receipt: StoredReceipt) -> InboundWebhook {
        var headers = HTTPFields()
        if let stored = try? JSONSerialization.jsonObject(with: Data(receipt.headers.utf8)) as? [String: String] {
            for (name, value) in stored.sorted(by: { $0.key < $1.key }) {
                if let field = HTTPField.Name(name) { headers.append(HTTPField(name: field, value: value)) }
            }
        }
        return InboundWebhook(
            sourceID: receipt.sourceID, headers: headers, body: receipt.body, pathAndQuery: "/webhooks/\(receipt.sourceID)",
            receivedAt: receipt.receivedAt
        )
    }
}
