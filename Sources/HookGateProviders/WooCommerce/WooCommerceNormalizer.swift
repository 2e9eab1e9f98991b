import Foundation
import HTTPTypes
import HookGateCore
import NIOCore
import NIOFoundationCompat

/// Maps WooCommerce topics to canonical events (see docs/events.md). WooCommerce has no paid/fulfilled topics:
/// they are derived from the order's status on `order.updated` and `order.restored`.
struct WooCommerceNormalizer {
    let sourceID: String

    /// Order status → (event type on an update, canonical status).
    private static let orderStatuses: [String: (type: String, status: String)] = [
        "pending": ("order.updated", "open"), "on-hold": ("order.updated", "open"), "checkout-draft": ("order.updated", "open"),
        "processing": ("order.paid", "paid"), "completed": ("order.fulfilled", "fulfilled"),
        "cancelled": ("order.cancelled", "cancelled"), "refunded": ("order.refunded", "refunded"), "failed": ("order.updated", "failed"),
    ]

    func normalize(_ webhook: InboundWebhook) -> Normalization {
        guard let resource = try? JSONDecoder().decode(WooCommerceResource.self, from: webhook.body) else { return .unparsed(body: webhook.body) }
        let topic = webhook.headers[.wcTopic] ?? "unknown"
        let deliveryID = webhook.headers[.wcDeliveryID].nonEmpty
        // The delivery id changes on every send, so the change itself is the identity: store, topic, resource and
        // modification time. A `deleted` body has no modification time; the delivery id is the best left.
        let version = resource.dateModifiedGMT ?? deliveryID ?? Normalization.unparsed(body: webhook.body).dedupeKey
        let dedupeKey = [webhook.headers[.wcSource] ?? "", topic, resource.id ?? "", version].joined(separator: "|")
        return EventBuilder(sourceID: sourceID, provider: .woocommerce, webhook: webhook).normalization(
            map(topic: topic, resource),
            rawType: topic,
            dedupeKey: dedupeKey,
            time: resource.dateModifiedGMT.flatMap { Timestamp.parse($0 + "Z") },
            providerEventID: deliveryID
        )
    }

    private func map(topic: String, _ resource: WooCommerceResource) -> Mapping? {
        guard let id = resource.id else { return nil }
        switch topic {
        case "order.created", "order.updated", "order.restored", "order.deleted":
            let known = resource.status.flatMap { Self.orderStatuses[$0] }
            let type: String
            let status: String
            switch topic {
            case "order.created": (type, status) = ("order.created", known?.status ?? "open")
            // A trashed order is gone for the shop: consumers see it cancelled.
            case "order.deleted": (type, status) = ("order.cancelled", "cancelled")
            default: (type, status) = (known?.type ?? "order.updated", known?.status ?? "open")
            }
            var members: [JSONValue.Member] = [
                .init("order_id", .string(id)),
                .init("order_number", resource.number.json),
                .init("status", .string(status)),
                .init("provider_status", .string(topic == "order.deleted" ? "deleted" : resource.status ?? "")),
                .init("total", .money(decimal: resource.total, currency: resource.currency)),
                .init("customer", .customer(id: resource.customerID, email: resource.billing?.email)),
            ]
            if type == "order.refunded" {
                let latest = resource.refunds.first
                let amount = latest?.total.map { $0.hasPrefix("-") ? String($0.dropFirst()) : $0 }
                members.append(.init("refund", .object(["id": (latest?.id).json, "amount": .money(decimal: amount, currency: resource.currency)])))
            }
            return Mapping(type: type, subject: id, data: .object(members))
        case "customer.created", "customer.updated", "customer.deleted":
            return Mapping(
                type: topic, subject: id,
                data: .object([
                    "customer": .customer(
                        id: id, email: resource.email ?? resource.billing?.email, phone: resource.billing?.phone,
                        name: fullName(resource.firstName ?? resource.billing?.firstName, resource.lastName ?? resource.billing?.lastName),
                        full: true
                    )
                ]))
        default:
            return nil
        }
    }
}
