import Foundation
import HookGateCore
import NIOCore
import NIOFoundationCompat

/// Maps NMI gateway events to canonical events (see docs/events.md). NMI gives no zoned event time, so the event
/// time is the receipt time.
struct NMINormalizer {
    let sourceID: String

    private static let payments = [
        "transaction.sale.success": "payment.succeeded", "transaction.capture.success": "payment.succeeded",
        "transaction.sale.failure": "payment.failed", "transaction.auth.failure": "payment.failed",
        "transaction.refund.success": "payment.refunded", "transaction.credit.success": "payment.refunded",
    ]
    private static let subscriptions = [
        "recurring.subscription.add": ("subscription.created", "active"),
        "recurring.subscription.update": ("subscription.updated", "active"),
        "recurring.subscription.delete": ("subscription.canceled", "canceled"),
    ]

    func normalize(_ webhook: InboundWebhook) -> Normalization {
        guard let event = try? JSONDecoder().decode(NMIEvent.self, from: webhook.body), !event.eventID.isEmpty, !event.eventType.isEmpty
        else { return .unparsed(body: webhook.body) }
        return EventBuilder(sourceID: sourceID, provider: .nmi, webhook: webhook).normalization(
            event.body.flatMap { map(type: event.eventType, $0) },
            rawType: event.eventType,
            dedupeKey: event.eventID,
            time: nil,
            providerEventID: event.eventID
        )
    }

    private func map(type: String, _ body: NMIEvent.Body) -> Mapping? {
        let customer = JSONValue.customer(id: body.customerID, email: body.email)
        if let canonical = Self.payments[type], let transactionID = body.transactionID {
            var members: [JSONValue.Member] = [
                .init("payment_id", .string(transactionID)),
                .init("amount", .money(decimal: body.amount, currency: body.currency)),
                .init("customer", customer),
                .init("order_id", body.orderID.json),
            ]
            switch canonical {
            case "payment.failed": members.append(.init("failure", .object(["code": body.responseCode.json, "message": body.responseText.json])))
            // NMI's refund is a transaction of its own; its id is both the refund and the payment NMI reports.
            case "payment.refunded": members.append(.init("refund_id", .string(transactionID)))
            default: break
            }
            return Mapping(type: canonical, subject: transactionID, data: .object(members))
        }
        if let (canonical, status) = Self.subscriptions[type], let subscriptionID = body.subscriptionID {
            return Mapping(
                type: canonical, subject: subscriptionID,
                data: .object([
                    "subscription_id": .string(subscriptionID),
                    "customer": customer,
                    "status": .string(status),
                ]))
        }
        return nil
    }
}
