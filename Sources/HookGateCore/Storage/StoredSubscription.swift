import Foundation

/// A webhook subscription stored in the database (DESIGN.md §7–8).
public struct StoredSubscription: Sendable, Equatable {
    public var id: String
    public var url: String
    /// Type patterns (`payment.*`, `*`, exact types).
    public var types: [String]
    /// Source ids; nil matches every source.
    public var sources: [String]?
    public var description: String?
    public var secret: String
    /// The secret before the last rotation, still signing alongside until `previousSecretExpiresAt`.
    public var previousSecret: String?
    public var previousSecretExpiresAt: Date?
    public var status: SubscriptionStatus
    public var disabledReason: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, url: String, types: [String], sources: [String]?, description: String?, secret: String, previousSecret: String? = nil,
        previousSecretExpiresAt: Date? = nil, status: SubscriptionStatus = .active, disabledReason: String? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.url = url
        self.types = types
        self.sources = sources
        self.description = description
        self.secret = secret
        self.previousSecret = previousSecret
        self.previousSecretExpiresAt = previousSecretExpiresAt
        self.status = status
        self.disabledReason = disabledReason
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The name deliveries to it carry: `subscription:{id}`.
    public var destination: String { Self.destination(of: id) }

    /// The name deliveries to the subscription `id` carry.
    public static func destination(of id: String) -> String { "subscription:\(id)" }
}
