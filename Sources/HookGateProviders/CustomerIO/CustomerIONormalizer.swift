import Foundation
import HookGateCore
import NIOCore
import NIOFoundationCompat

/// Maps Customer.io reporting events to `{channel}.{metric}` events and customer subscription changes to
/// `customer.updated` (see docs/events.md).
struct CustomerIONormalizer {
    let sourceID: String

    func normalize(_ webhook: InboundWebhook) -> Normalization {
        guard let event = try? JSONDecoder().decode(CustomerIOEvent.self, from: webhook.body), !event.eventID.isEmpty,
            !event.objectType.isEmpty, !event.metric.isEmpty
        else { return .unparsed(body: webhook.body) }
        return EventBuilder(sourceID: sourceID, provider: .customerio, webhook: webhook).normalization(
            map(event),
            rawType: "\(event.objectType).\(event.metric)",
            dedupeKey: event.eventID,
            time: event.timestamp.flatMap(Timestamp.providerTime(unixSeconds:)),
            providerEventID: event.eventID
        )
    }

    private func map(_ event: CustomerIOEvent) -> Mapping? {
        let data = event.data
        let customer = JSONValue.customer(id: data?.customerID, email: data?.email)
        if event.objectType == "customer" {
            guard let customerID = data?.customerID else { return nil }
            return Mapping(
                type: "customer.updated", subject: customerID,
                data: .object([
                    "customer": .customer(id: customerID, email: data?.email, full: true),
                    "change": .string(event.metric),
                ]))
        }
        guard EventType.messagingChannels.contains(event.objectType), let deliveryID = data?.deliveryID else { return nil }
        let metric = event.metric == "spammed" ? "complained" : EventType.safe(event.metric)
        return Mapping(
            type: "\(event.objectType).\(metric)", subject: deliveryID,
            data: .object([
                "delivery_id": .string(deliveryID),
                "recipient": (data?.recipient).json,
                "customer": customer,
                "link": metric == "clicked" ? (data?.href).json : nil,
                "failure_message": data?.failureMessage.map(JSONValue.string),
            ]))
    }
}
