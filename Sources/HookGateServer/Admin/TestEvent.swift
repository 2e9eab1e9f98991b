import Foundation
import HookGateCore
import HookGateStorage
import NIOCore

/// The `hookgate.test` event a subscription's test send delivers (DESIGN.md §8), stored like any other so its
/// delivery is signed, recorded and listed. Its source is HookGate itself: `hookgate/hookgate`.
enum TestEvent {
    static let sourceID = "hookgate"

    static func record(subscriptionID: String, actor: String, now: Date) -> IngestRecord {
        let id = Identifier.make(prefix: "evt_", now: now)
        var writer = JSONWriter(capacity: 384)
        writer.object { writer in
            writer.field("specversion", "1.0")
            writer.field("id", id)
            writer.field("source", "hookgate/" + sourceID)
            writer.field("type", "hookgate.test")
            writer.field("subject", subscriptionID)
            writer.field("time", Timestamp.rfc3339(now))
            writer.field("datacontenttype", "application/json")
            writer.field("provider", sourceID)
            writer.key("data")
            writer.object { writer in
                writer.field("subscription_id", subscriptionID)
                writer.field("requested_by", actor)
                writer.field("message", "A test event from HookGate: this endpoint is subscribed and its signature checks out.")
            }
        }
        return IngestRecord(
            receiptID: Identifier.make(prefix: "rcp_", now: now), sourceID: sourceID, dedupeKey: id, status: .normalized, receivedAt: now,
            headers: "{}", body: ByteBuffer(),
            events: [
                IngestRecord.Event(
                    id: id, type: "hookgate.test", subject: subscriptionID, time: now, payload: ByteBuffer(bytes: writer.bytes),
                    // Sent now (DESIGN.md §8), whatever the schedule's first entry.
                    deliveries: [PlannedDelivery(destination: "subscription:" + subscriptionID)]
                )
            ]
        )
    }
}
