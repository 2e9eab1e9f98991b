import HookGateCore

/// A subscription as the admin API shows it; the secret only in the answer that creates it.
struct SubscriptionResponse: Encodable, Sendable {
    var id: String
    var url: String
    var types: [String]
    /// Null matches every source.
    @ExplicitNull var sources: [String]?
    @ExplicitNull var description: String?
    var status: String
    @ExplicitNull var disabledReason: String?
    /// Present only when the subscription is created.
    var secret: String?
    var createdAt: String
    var updatedAt: String

    enum CodingKeys: String, CodingKey {
        case id, url, types, sources, description, status, secret
        case disabledReason = "disabled_reason"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    init(_ subscription: StoredSubscription, includeSecret: Bool) {
        id = subscription.id
        url = subscription.url
        types = subscription.types
        sources = subscription.sources
        description = subscription.description
        status = subscription.status.rawValue
        disabledReason = subscription.disabledReason
        secret = includeSecret ? subscription.secret : nil
        createdAt = Timestamp.rfc3339(subscription.createdAt, milliseconds: true)
        updatedAt = Timestamp.rfc3339(subscription.updatedAt, milliseconds: true)
    }
}
