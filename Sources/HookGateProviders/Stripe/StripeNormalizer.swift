import Foundation
import HookGateCore
import NIOCore

/// Maps Stripe events to canonical events (see docs/events.md for each type's `data`).
struct StripeNormalizer {
    let sourceID: String

    func normalize(_ webhook: InboundWebhook) -> Normalization {
        guard let envelope = StripeEventEnvelope(webhook.body), !envelope.id.isEmpty,
            !envelope.type.isEmpty
        else { return .unparsed(body: webhook.body) }
        return EventBuilder(sourceID: sourceID, provider: .stripe, webhook: webhook).normalization(
            envelope.object.flatMap { map(type: envelope.type, object: $0) },
            rawType: envelope.type,
            dedupeKey: envelope.id,
            time: envelope.created.flatMap(Timestamp.providerTime(unixSeconds:)),
            providerEventID: envelope.id
        )
    }

    private func map(type: String, object: StripeObject) -> Mapping? {
        let customer = JSONValue.customer(
            id: object.customer?.id, email: object.customer?.email ?? object.receiptEmail ?? object.billingEmail ?? object.customerEmail
        )
        switch type {
        case "payment_intent.succeeded", "payment_intent.payment_failed":
            let failed = type == "payment_intent.payment_failed"
            let minor = failed ? object.amount : (object.amountReceived ?? object.amount)
            var members: [JSONValue.Member] = [
                .init("payment_id", object.id.json),
                .init("amount", money(minor, object.currency)),
                .init("customer", customer),
                .init("status", object.status.json),
            ]
            if failed {
                members.append(.init("failure", .object(["code": object.failure.code.json, "message": object.failure.message.json])))
            }
            return Mapping(type: failed ? "payment.failed" : "payment.succeeded", subject: object.id, data: .object(members))
        case "charge.refunded":
            let paymentID = object.paymentIntent?.id ?? object.id
            return Mapping(
                type: "payment.refunded", subject: paymentID,
                data: .object([
                    "payment_id": paymentID.json,
                    "charge_id": object.id.json,
                    "refund_id": object.latestRefundID.json,
                    "amount": money(object.amountRefunded, object.currency),
                    "customer": customer,
                ]))
        case "charge.dispute.created":
            let paymentID = object.paymentIntent?.id ?? object.charge?.id
            return Mapping(
                type: "payment.disputed", subject: paymentID,
                data: .object([
                    "payment_id": paymentID.json,
                    "charge_id": (object.charge?.id).json,
                    "dispute_id": object.id.json,
                    "reason": object.reason.json,
                    "status": object.status.json,
                    "amount": money(object.amount, object.currency),
                    "customer": customer,
                ]))
        case "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted":
            let canonical = ["created": "subscription.created", "updated": "subscription.updated", "deleted": "subscription.canceled"]
            return Mapping(
                type: canonical[String(type.split(separator: ".").last ?? "")]!, subject: object.id,
                data: .object([
                    "subscription_id": object.id.json,
                    "customer": customer,
                    "status": object.status.json,
                    // Left out when it is no representable time.
                    "current_period_end": object.currentPeriodEnd.flatMap(Timestamp.providerTime(unixSeconds:)).map {
                        .string(Timestamp.rfc3339($0))
                    },
                ]))
        case "invoice.payment_failed":
            // Only a subscription's invoice is a subscription event; a one-off invoice stays a passthrough.
            guard let subscriptionID = object.subscription?.id else { return nil }
            return Mapping(
                type: "subscription.payment_failed", subject: subscriptionID,
                data: .object([
                    "subscription_id": .string(subscriptionID),
                    "customer": customer,
                    "status": object.status.json,
                    "invoice_id": object.id.json,
                    "amount": money(object.amountDue, object.currency),
                    "attempt_count": object.attemptCount.map { .int($0) },
                ]))
        case "customer.created", "customer.updated", "customer.deleted":
            return Mapping(
                type: type, subject: object.id,
                data: .object([
                    "customer": .customer(id: object.id, email: object.email, phone: object.phone, name: object.name, full: true)
                ]))
        default:
            return nil
        }
    }

    /// Stripe amounts are already integers in the minor unit (whole yen for JPY).
    private func money(_ minor: Int64?, _ currency: String?) -> JSONValue {
        minor.flatMap { Money(minor: $0, currency: currency) }.json
    }
}
