import Foundation
import HTTPTypes
import HookGateCore
import NIOCore
import NIOFoundationCompat

/// Maps Shopify topics to canonical events (see docs/events.md). The topic and shop come from headers, the
/// resource from the body.
struct ShopifyNormalizer {
    let sourceID: String

    private static let orderTopics = [
        "orders/create": "order.created", "orders/updated": "order.updated", "orders/paid": "order.paid",
        "orders/fulfilled": "order.fulfilled", "orders/cancelled": "order.cancelled",
    ]
    private static let customerTopics = [
        "customers/create": "customer.created", "customers/update": "customer.updated", "customers/delete": "customer.deleted",
    ]
    private static let checkoutTopics = ["checkouts/create": "checkout.created", "checkouts/update": "checkout.updated"]

    func normalize(_ webhook: InboundWebhook) -> Normalization {
        guard let resource = try? JSONDecoder().decode(ShopifyResource.self, from: webhook.body) else { return .unparsed(body: webhook.body) }
        let topic = webhook.headers[.shopifyTopic] ?? "unknown"
        let webhookID = webhook.headers[.shopifyWebhookID].nonEmpty
        let dedupeKey =
            webhookID
            ?? webhook.headers[.shopifyEventID].map { "event:\($0):\(topic)" }
            ?? Normalization.unparsed(body: webhook.body).dedupeKey
        return EventBuilder(sourceID: sourceID, provider: .shopify, webhook: webhook).normalization(
            map(topic: topic, resource, shop: webhook.headers[.shopifyShopDomain]),
            rawType: topic,
            dedupeKey: dedupeKey,
            time: webhook.headers[.shopifyTriggeredAt].flatMap(Timestamp.parse),
            providerEventID: webhookID
        )
    }

    private func map(topic: String, _ resource: ShopifyResource, shop: String?) -> Mapping? {
        let customer = JSONValue.customer(id: resource.customer?.id, email: resource.email ?? resource.customer?.email)
        if let type = Self.orderTopics[topic] {
            guard let orderID = resource.id else { return nil }
            return Mapping(
                type: type, subject: orderID,
                data: .object([
                    "order_id": .string(orderID),
                    "order_number": resource.orderNumber.json,
                    "name": resource.name.json,
                    "status": .string(Self.canonicalStatus(resource)),
                    "provider_status": resource.financialStatus.json,
                    "fulfillment_status": resource.fulfillmentStatus.json,
                    "total": .money(decimal: resource.totalPrice, currency: resource.currency),
                    "customer": customer,
                    "shop": shop.json,
                ]))
        }
        if topic == "refunds/create" {
            guard let orderID = resource.orderID else { return nil }
            let refunds = resource.transactions.filter { $0.kind == "refund" && ($0.status == nil || $0.status == "success") }
            return Mapping(
                type: "order.refunded", subject: orderID,
                data: .object([
                    "order_id": .string(orderID),
                    "status": "refunded",
                    "provider_status": .null,
                    "total": .null,
                    "customer": customer,
                    "refund": .object(["id": resource.id.json, "amount": Self.sum(refunds)]),
                    "shop": shop.json,
                ]))
        }
        if let type = Self.customerTopics[topic] {
            guard let customerID = resource.id else { return nil }
            return Mapping(
                type: type, subject: customerID,
                data: .object([
                    "customer": .customer(
                        id: customerID, email: resource.email, phone: resource.phone,
                        name: fullName(resource.firstName, resource.lastName), full: true),
                    "shop": shop.json,
                ]))
        }
        if let type = Self.checkoutTopics[topic] {
            guard let checkoutID = resource.id ?? resource.token else { return nil }
            return Mapping(
                type: type, subject: checkoutID,
                data: .object([
                    "checkout_id": .string(checkoutID),
                    "total": .money(decimal: resource.totalPrice, currency: resource.currency),
                    "customer": customer,
                    "shop": shop.json,
                ]))
        }
        if let privacy = privacy(topic: topic, resource, shop: shop) { return privacy }
        if topic == "disputes/create" {
            guard let disputeID = resource.id else { return nil }
            return Mapping(
                type: "payment.disputed", subject: resource.orderID,
                data: .object([
                    "payment_id": resource.orderID.json,
                    "order_id": resource.orderID.json,
                    "dispute_id": .string(disputeID),
                    "reason": resource.reason.json,
                    "status": resource.status.json,
                    "dispute_type": resource.disputeType.json,
                    "amount": .money(decimal: resource.amount, currency: resource.currency),
                    "customer": customer,
                    "shop": shop.json,
                ]))
        }
        return nil
    }

    /// The mandatory privacy topics (DESIGN.md §13): a customer's redaction or data request, and a shop's
    /// redaction, with the customer's id, email and phone as Shopify sent them so that consumers can find their copies.
    private func privacy(topic: String, _ resource: ShopifyResource, shop: String?) -> Mapping? {
        let shop = resource.shopDomain ?? shop
        let person = resource.customer
        let customer = JSONValue.object(["id": (person?.id).json, "email": (person?.email).json, "phone": (person?.phone).json])
        let orders = JSONValue.array(resource.privacyOrders.map(JSONValue.string))
        switch topic {
        case "customers/redact":
            return Mapping(
                type: "privacy.customer_redact_requested", subject: resource.customer?.id,
                data: .object(["customer": customer, "orders": orders, "shop": shop.json, "shop_id": resource.shopID.json]))
        case "customers/data_request":
            return Mapping(
                type: "privacy.customer_data_requested", subject: resource.customer?.id,
                data: .object([
                    "customer": customer, "orders": orders, "data_request_id": resource.dataRequestID.json, "shop": shop.json,
                    "shop_id": resource.shopID.json,
                ]))
        case "shop/redact":
            return Mapping(
                type: "privacy.shop_redact_requested", subject: resource.shopID,
                data: .object(["shop": shop.json, "shop_id": resource.shopID.json]))
        default:
            return nil
        }
    }

    /// The canonical order status: cancellation and refunds win over payment and fulfilment state.
    static func canonicalStatus(_ order: ShopifyResource) -> String {
        if order.cancelledAt != nil { return "cancelled" }
        switch order.financialStatus {
        case "refunded": return "refunded"
        case "voided": return "cancelled"
        default: break
        }
        if order.fulfillmentStatus == "fulfilled" { return "fulfilled" }
        return ["paid", "partially_refunded"].contains(order.financialStatus) ? "paid" : "open"
    }

    /// The refund's amount: its successful refund transactions added up, in their (single) currency.
    private static func sum(_ transactions: [ShopifyResource.Transaction]) -> JSONValue {
        var total: Money?
        for transaction in transactions {
            guard let amount = transaction.amount, let money = Money(decimal: amount, currency: transaction.currency),
                total == nil || total?.currency == money.currency
            else { return .null }
            let (sum, overflow) = (total?.minor ?? 0).addingReportingOverflow(money.minor)
            guard !overflow else { return .null }
            total = Money(minor: sum, currency: money.currency)
        }
        return total.json
    }
}
