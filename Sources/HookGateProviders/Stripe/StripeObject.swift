import HookGateCore

/// `data.object`: a PaymentIntent, Charge, Dispute, Subscription, Invoice or Customer. Every field is optional and
/// read leniently (a field of another type reads as absent), since which ones exist depends on the object and the
/// endpoint's API version.
struct StripeObject {
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

    init?(_ object: JSONTape.Value) {
        guard object.isObject else { return nil }
        id = object["id"]?.string
        amount = object["amount"]?.int64
        amountReceived = object["amount_received"]?.int64
        amountRefunded = object["amount_refunded"]?.int64
        amountDue = object["amount_due"]?.int64
        currency = object["currency"]?.string
        customer = object["customer"].flatMap(StripeReference.init)
        email = object["email"]?.string
        name = object["name"]?.string
        phone = object["phone"]?.string
        receiptEmail = object["receipt_email"]?.string
        customerEmail = object["customer_email"]?.string
        billingEmail = object["billing_details"]?["email"]?.string
        status = object["status"]?.string
        reason = object["reason"]?.string
        let paymentError = object["last_payment_error"]
        failure = (
            paymentError?["decline_code"]?.string ?? paymentError?["code"]?.string ?? object["failure_code"]?.string,
            paymentError?["message"]?.string ?? object["failure_message"]?.string
        )
        charge = object["charge"].flatMap(StripeReference.init)
        paymentIntent = object["payment_intent"].flatMap(StripeReference.init)
        latestCharge = object["latest_charge"].flatMap(StripeReference.init)
        latestRefundID = object["refunds"]?["data"]?.first?["id"]?.string
        // Newer API versions moved the billing period onto the subscription items.
        currentPeriodEnd = object["current_period_end"]?.int64 ?? object["items"]?["data"]?.first?["current_period_end"]?.int64
        // Newer API versions moved an invoice's subscription under parent.subscription_details.
        subscription =
            object["subscription"].flatMap(StripeReference.init)
            ?? object["parent"]?["subscription_details"]?["subscription"].flatMap(StripeReference.init)
        attemptCount = object["attempt_count"]?.int64
    }
}
