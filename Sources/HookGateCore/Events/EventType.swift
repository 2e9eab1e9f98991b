/// The closed list of canonical event types (DESIGN.md §6). Metrics label only with these, never with request input.
public enum EventType {
    public static let canonical: Set<String> = [
        "payment.succeeded", "payment.failed", "payment.refunded", "payment.disputed",
        "subscription.created", "subscription.updated", "subscription.canceled", "subscription.payment_failed",
        "order.created", "order.updated", "order.paid", "order.fulfilled", "order.cancelled", "order.refunded",
        "customer.created", "customer.updated", "customer.deleted",
        "checkout.created", "checkout.updated",
        "message.received", "message.status_changed", "call.status_changed",
        "privacy.customer_redact_requested", "privacy.customer_data_requested", "privacy.shop_redact_requested",
    ]

    /// Shopify's mandatory privacy topics that ask for erasure (DESIGN.md §13, `auto_erase`).
    public static let privacyCustomerRedactRequested = "privacy.customer_redact_requested"
    public static let privacyShopRedactRequested = "privacy.shop_redact_requested"

    /// Channels whose `{channel}.{metric}` types are canonical (Customer.io).
    public static let messagingChannels: Set<String> = ["email", "sms", "push", "in_app", "whatsapp"]

    /// A bounded label for `type`: the type itself when canonical, else its family (`provider.stripe`, `email`).
    public static func metricLabel(for type: String) -> String {
        if canonical.contains(type) { return type }
        let parts = type.split(separator: ".", maxSplits: 2)
        if parts.first == "provider", parts.count >= 2, ProviderKind(rawValue: String(parts[1])) != nil {
            return "provider.\(parts[1])"
        }
        if let first = parts.first, messagingChannels.contains(String(first)) { return String(first) }
        return "other"
    }

    /// `provider.{provider}.{raw type}`, with the raw type made ``safe(_:)``.
    public static func passthrough(provider: ProviderKind, rawType: String) -> String {
        "provider.\(provider.rawValue).\(safe(rawType))"
    }

    /// Request content reduced to `[A-Za-z0-9_.-]` and 100 characters, so that a type built from it is safe in a
    /// URL, a database column and a route pattern, whatever the request contained.
    public static func safe(_ raw: String) -> String {
        let allowed = raw.unicodeScalars.prefix(100).map { scalar -> Character in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "_", ".", "-": Character(scalar)
            default: "_"
            }
        }
        return allowed.isEmpty ? "unknown" : String(allowed)
    }
}
