import Foundation
import NIOCore

/// A delivery a worker has leased: what to send, where, and how many attempts came before.
public struct ClaimedDelivery: Sendable {
    public var id: String
    public var eventID: String
    public var destination: String
    /// Attempts already made (this one is `attempts + 1`).
    public var attempts: Int
    /// Attempts made before the current series: a replay starts a new series, and the retry schedule counts from
    /// there while attempt numbers (and their history) carry on.
    public var seriesStart: Int
    /// The CloudEvent JSON, exactly as stored at ingest.
    public var payload: ByteBuffer
    /// Queued by a bulk replay, so paced (DESIGN.md §8), rather than live work.
    public var replayed: Bool

    public init(id: String, eventID: String, destination: String, attempts: Int, seriesStart: Int, payload: ByteBuffer, replayed: Bool) {
        self.id = id
        self.eventID = eventID
        self.destination = destination
        self.attempts = attempts
        self.seriesStart = seriesStart
        self.payload = payload
        self.replayed = replayed
    }
}

/// One entry of the audit log: who changed what through the admin API or the CLI, and when.
public struct AuditEntry: Sendable, Equatable {
    public var id: String
    public var at: Date
    /// The admin token's name.
    public var actor: String
    /// `delivery.replay`, `subscription.create`, …
    public var action: String
    /// The id or filter acted on.
    public var target: String
    /// A JSON object with the details (the filter, the counts).
    public var detail: String

    public init(id: String, at: Date, actor: String, action: String, target: String, detail: String) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.detail = detail
    }
}

/// One HTTP attempt, as recorded in `delivery_attempts`.
public struct DeliveryAttempt: Sendable, Equatable {
    public var number: Int
    public var startedAt: Date
    public var durationMilliseconds: Int
    public var statusCode: Int?
    /// The kind of failure when there was no HTTP answer (`timeout`, `connection`, `blocked_address`, …).
    public var error: String?
    /// The start of the response body, at most 4 KiB.
    public var responseSnippet: String?

    public init(number: Int, startedAt: Date, durationMilliseconds: Int, statusCode: Int?, error: String?, responseSnippet: String?) {
        self.number = number
        self.startedAt = startedAt
        self.durationMilliseconds = durationMilliseconds
        self.statusCode = statusCode
        self.error = error
        self.responseSnippet = responseSnippet
    }
}

/// What an attempt leaves the delivery as.
public enum DeliveryDecision: Sendable, Equatable {
    case succeeded
    /// Try again at this time.
    case retry(at: Date)
    /// The schedule is exhausted.
    case dead
    /// Will never be sent (its subscription answered 410 and was disabled).
    case cancelled
}

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

/// Deliveries of one destination by state, for metrics and the destinations view.
public struct DestinationBacklog: Sendable, Equatable {
    public var pending = 0
    public var due = 0
    public var inFlight = 0
    public var dead = 0
    public var oldestPending: Date?

    public init() {}
}
