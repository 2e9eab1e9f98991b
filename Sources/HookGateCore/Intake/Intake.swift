import Foundation
import HTTPTypes
import NIOCore

/// Turns a verified, normalized webhook into what ingest commits: the receipt with its stored headers, and each
/// event with its CloudEvent bytes (carrying the caller's `traceparent`) and its deliveries.
public struct Intake: Sendable {
    /// Headers that carry credentials of the caller, never stored in receipts.
    private static let unstoredHeaders: Set<HTTPField.Name> = [.authorization, .cookie, .proxyAuthorization]
    private static let traceparent = HTTPField.Name("traceparent")!

    public let fanOut: FanOut

    public init(fanOut: FanOut) {
        self.fanOut = fanOut
    }

    /// The records of `webhook`, as `normalization` maps it; ids are made from its receipt time.
    public func record(for webhook: InboundWebhook, _ normalization: Normalization) -> IngestRecord {
        IngestRecord(
            receiptID: Identifier.make(prefix: "rcp_", now: webhook.receivedAt),
            sourceID: webhook.sourceID,
            dedupeKey: normalization.dedupeKey,
            status: normalization.status,
            receivedAt: webhook.receivedAt,
            headers: Self.storedHeaders(webhook.headers),
            body: webhook.body,
            events: normalization.events.map { event($0, of: webhook) }
        )
    }

    /// One of `webhook`'s events as committed: its CloudEvent bytes, carrying the request's `traceparent` when it is
    /// valid, and its deliveries (none when `fannedOut` is false: renormalizing an event that has them already).
    public func event(_ normalized: CanonicalEvent, of webhook: InboundWebhook, fannedOut: Bool = true) -> IngestRecord.Event {
        var event = normalized
        event.traceparent = CanonicalEvent.validTraceparent(webhook.headers[Self.traceparent])
        return IngestRecord.Event(
            id: event.id, type: event.type, subject: event.subject, time: event.time, payload: ByteBuffer(bytes: event.cloudEventJSON()),
            deliveries: fannedOut ? fanOut.deliveries(forType: event.type, source: webhook.sourceID) : []
        )
    }

    /// The request headers as a JSON object (lower-case names, repeated names joined with ", "), without credentials.
    static func storedHeaders(_ headers: HTTPFields) -> String {
        var merged: [(String, String)] = []
        for field in headers where !unstoredHeaders.contains(field.name) {
            let name = field.name.canonicalName
            if let index = merged.firstIndex(where: { $0.0 == name }) {
                merged[index].1 += ", " + field.value
            } else {
                merged.append((name, field.value))
            }
        }
        var writer = JSONWriter(capacity: 256)
        writer.object { writer in merged.forEach { writer.field($0.0, $0.1) } }
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
