/// The parts of a Stripe event HookGate reads; everything else stays in the stored receipt.
struct StripeEventEnvelope: Decodable {
    let id: String
    let type: String
    let created: Int64?
    let object: StripeObject?

    enum CodingKeys: String, CodingKey { case id, type, created, data }
    enum DataKeys: String, CodingKey { case object }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        type = try container.decode(String.self, forKey: .type)
        created = container.lenient(Int64.self, .created)
        let data = try? container.nestedContainer(keyedBy: DataKeys.self, forKey: .data)
        object = data?.lenient(StripeObject.self, .object)
    }
}

/// `data.object`: a PaymentIntent, Charge, Dispute, Subscription, Invoice or Customer. Every field is optional and
/// read leniently, since which ones exist depends on the object and the endpoint's API version.
struct StripeObject: Decodable {
    let id: String?
    let amount: Int64?
    let amountReceived: Int64?
    let amountRefunded: Int64?
    let amountDue: Int64?
    let currency: String?
    let customer: StripeReference?
    let email: String?
    let name: String?
    let phone: String?
    let receiptEmail: String?
    let customerEmail: String?
    let billingEmail: String?
    let status: String?
    let reason: String?
    let failure: (code: String?, message: String?)
    let charge: StripeReference?
    let paymentIntent: StripeReference?
    let latestCharge: StripeReference?
    let latestRefundID: String?
    let currentPeriodEnd: Int64?
    let subscription: StripeReference?
    let attemptCount: Int64?

    enum CodingKeys: String, CodingKey {
        case id, amount, currency, customer, email, name, phone, status, reason, charge, subscription, refunds, items, parent
        case amountReceived = "amount_received", amountRefunded = "amount_refunded", amountDue = "amount_due"
        case receiptEmail = "receipt_email", customerEmail = "customer_email", billingDetails = "billing_details"
        case lastPaymentError = "last_payment_error", failureCode = "failure_code", failureMessage = "failure_message"
        case paymentIntent = "payment_intent", latestCharge = "latest_charge", currentPeriodEnd = "current_period_end"
        case attemptCount = "attempt_count"
    }

    private struct Nested: Decodable {
        let email: String?
        let code: String?
        let declineCode: String?
        let message: String?
        let currentPeriodEnd: Int64?
        let data: [Item]?
        let subscriptionDetails: SubscriptionDetails?
        enum CodingKeys: String, CodingKey {
            case email, code, message, data
            case declineCode = "decline_code", currentPeriodEnd = "current_period_end", subscriptionDetails = "subscription_details"
        }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            email = c.lenient(String.self, .email)
            code = c.lenient(String.self, .code)
            declineCode = c.lenient(String.self, .declineCode)
            message = c.lenient(String.self, .message)
            currentPeriodEnd = c.lenient(Int64.self, .currentPeriodEnd)
            data = c.lenient([Item].self, .data)
            subscriptionDetails = c.lenient(SubscriptionDetails.self, .subscriptionDetails)
        }
    }

    private struct Item: Decodable {
        let id: String?
        let currentPeriodEnd: Int64?
        enum CodingKeys: String, CodingKey { case id, currentPeriodEnd = "current_period_end" }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = c.lenient(String.self, .id)
            currentPeriodEnd = c.lenient(Int64.self, .currentPeriodEnd)
        }
    }

    private struct SubscriptionDetails: Decodable {
        let subscription: StripeReference?
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = c.lenient(String.self, .id)
        amount = c.lenient(Int64.self, .amount)
        amountReceived = c.lenient(Int64.self, .amountReceived)
        amountRefunded = c.lenient(Int64.self, .amountRefunded)
        amountDue = c.lenient(Int64.self, .amountDue)
        currency = c.lenient(String.self, .currency)
        customer = c.lenient(StripeReference.self, .customer)
        email = c.lenient(String.self, .email)
        name = c.lenient(String.self, .name)
        phone = c.lenient(String.self, .phone)
        receiptEmail = c.lenient(String.self, .receiptEmail)
        customerEmail = c.lenient(String.self, .customerEmail)
        billingEmail = c.lenient(Nested.self, .billingDetails)?.email
        status = c.lenient(String.self, .status)
        reason = c.lenient(String.self, .reason)
        let paymentError = c.lenient(Nested.self, .lastPaymentError)
        failure = (
            paymentError?.declineCode ?? paymentError?.code ?? c.lenient(String.self, .failureCode),
            paymentError?.message ?? c.lenient(String.self, .failureMessage)
        )
        charge = c.lenient(StripeReference.self, .charge)
        paymentIntent = c.lenient(StripeReference.self, .paymentIntent)
        latestCharge = c.lenient(StripeReference.self, .latestCharge)
        latestRefundID = c.lenient(Nested.self, .refunds)?.data?.first?.id
        // Newer API versions moved the billing period onto the subscription items.
        currentPeriodEnd = c.lenient(Int64.self, .currentPeriodEnd) ?? c.lenient(Nested.self, .items)?.data?.first?.currentPeriodEnd
        // Newer API versions moved an invoice's subscription under parent.subscription_details.
        subscription = c.lenient(StripeReference.self, .subscription)
            ?? c.lenient(Nested.self, .parent)?.subscriptionDetails?.subscription
        attemptCount = c.lenient(Int64.self, .attemptCount)
    }
}

/// An id field Stripe may send either as the id string or, when expanded, as the object carrying it.
struct StripeReference: Decodable {
    let id: String
    let email: String?

    private enum CodingKeys: String, CodingKey { case id, email }

    init(from decoder: any Decoder) throws {
        if let id = try? decoder.singleValueContainer().decode(String.self) {
            self.id = id
            self.email = nil
        } else {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(String.self, forKey: .id)
            email = c.lenient(String.self, .email)
        }
    }
}
