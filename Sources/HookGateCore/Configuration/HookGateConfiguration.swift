/// Everything `routes.yaml` says, validated. Build it with ``ConfigurationLoader``.
public struct HookGateConfiguration: Sendable {
    public var server: Server
    public var storage: Storage
    public var admin: Admin
    public var sources: [Source]
    public var targets: [Target]
    public var routes: [Route]
    public var subscriptions: Subscriptions
    public var retention: Retention

    /// The largest `max_body_bytes` accepted: 256 MiB, which both backends store in one row (SQLite's default
    /// `SQLITE_MAX_LENGTH` is 1 GB and PostgreSQL's `bytea` 1 GB, but a receipt is bound and copied several times on
    /// its way in) and which the ingest path's 32-bit JSON offsets address with room to spare.
    public static let maximumBodyBytes = 268_435_456

    /// The public ingest listener and its hardening limits.
    public struct Server: Sendable {
        public var listen: ListenAddress
        public var tls: TLS?
        public var adminListen: ListenAddress
        public var maxBodyBytes: Int
        /// Request bytes all requests together may hold before their commit; past it, 503 with `Retry-After`.
        public var maxBufferedBytes: Int
        public var maxHeaderBytes: Int
        public var readTimeout: Duration
        public var idleTimeout: Duration
        public var maxConnections: Int
        public var rateLimit: RateLimit

        public static let defaults = Server(
            listen: ListenAddress(host: "0.0.0.0", port: 8443),
            tls: nil,
            adminListen: ListenAddress(host: "127.0.0.1", port: 9090),
            maxBodyBytes: 1_048_576,
            maxBufferedBytes: 67_108_864,
            maxHeaderBytes: 16_384,
            readTimeout: .seconds(10),
            idleTimeout: .seconds(60),
            maxConnections: 10_000,
            rateLimit: RateLimit(perIPPerSecond: 1_000, burst: 2_000)
        )
    }

    /// PEM files for the public listener; reloaded on SIGHUP.
    public struct TLS: Sendable {
        public var certificatePath: String
        public var privateKeyPath: String
    }

    /// Per-client-IP token bucket; `perIPPerSecond == 0` disables it.
    public struct RateLimit: Sendable {
        public var perIPPerSecond: Int
        public var burst: Int
        public var isEnabled: Bool { perIPPerSecond > 0 }
    }

    public struct Storage: Sendable {
        public var location: StorageLocation
        /// Seals subscription signing secrets at rest; without one they are stored as they are (and start-up warns).
        public var encryptionKey: EncryptionKey?
        /// Keys that sealed secrets before a rotation: still read, and their rows sealed again with `encryptionKey`.
        public var previousEncryptionKeys: [EncryptionKey]

        public init(location: StorageLocation, encryptionKey: EncryptionKey? = nil, previousEncryptionKeys: [EncryptionKey] = []) {
            self.location = location
            self.encryptionKey = encryptionKey
            self.previousEncryptionKeys = previousEncryptionKeys
        }
    }

    public struct Admin: Sendable {
        public var tokens: [AdminToken]
    }

    /// A bearer token for the admin API. `description` never shows the token itself.
    public struct AdminToken: Sendable, CustomStringConvertible {
        public enum Role: String, Sendable { case admin, viewer }
        public var name: String
        public var token: String
        public var role: Role
        public var description: String { "\(name) (\(role.rawValue))" }
    }

    /// One provider endpoint: `POST /webhooks/{id}`.
    public struct Source: Sendable {
        public var id: String
        public var provider: ProviderKind
        public var secrets: [String]
        public var tolerance: Duration
        public var publicURL: String?
        public var maxBodyBytes: Int?
        /// A Shopify source whose privacy topics start erasures themselves (`customers/redact`: that customer,
        /// `shop/redact`: everything the source holds), once the request is stored.
        public var autoErase = false

        /// A source as the loader builds it from `gateway.yaml`; public for harnesses (the fuzz targets) that build
        /// providers through `ProviderRegistry` as the gateway does.
        public init(id: String, provider: ProviderKind, secrets: [String], tolerance: Duration, publicURL: String?, maxBodyBytes: Int?) {
            self.id = id
            self.provider = provider
            self.secrets = secrets
            self.tolerance = tolerance
            self.publicURL = publicURL
            self.maxBodyBytes = maxBodyBytes
        }
    }

    /// The largest `max_in_flight` a target or the subscriptions may set.
    public static let maxInFlightLimit = 10_000

    /// An internal service that receives canonical events.
    public struct Target: Sendable {
        public var id: String
        public var url: String
        public var signingSecret: String?
        public var timeout: Duration
        public var maxInFlight: Int
        public var retry: RetryPolicy
        public var replayRate: Int
    }

    /// Delay before each attempt; N entries mean at most N attempts.
    public struct RetryPolicy: Sendable, Equatable {
        public var schedule: [Duration]
        public var jitter: Double

        /// The delay before a series' first attempt: the schedule's first entry (DESIGN.md §7), without jitter.
        public var firstDelay: Duration { schedule.first ?? .zero }

        public static let standard = RetryPolicy(
            schedule: [
                .seconds(0), .seconds(5), .seconds(300), .seconds(1_800), .seconds(7_200), .seconds(18_000), .seconds(36_000),
                .seconds(36_000),
            ],
            jitter: 0.2
        )
    }

    public struct Route: Sendable {
        public var name: String
        public var types: [TypePattern]
        /// `nil` matches every source.
        public var sources: [String]?
        public var targets: [String]
    }

    public struct Subscriptions: Sendable {
        public var allowPrivate: Bool
        public var retry: RetryPolicy
        public var timeout: Duration
        public var maxInFlight: Int

        public static let defaults = Subscriptions(allowPrivate: false, retry: .standard, timeout: .seconds(10), maxInFlight: 16)
    }

    /// How long stored data is kept (DESIGN.md §13); nil keeps it forever (`0`).
    public struct Retention: Sendable, Equatable {
        /// Raw bodies and stored headers of receipts; the receipt row stays.
        public var receiptBodies: Duration?
        /// Events with their receipts, deliveries and attempts, once no delivery can still be attempted.
        public var events: Duration?
        /// Audit log entries.
        public var audit: Duration?

        public init(receiptBodies: Duration?, events: Duration?, audit: Duration?) {
            self.receiptBodies = receiptBodies
            self.events = events
            self.audit = audit
        }

        public static let defaults = Retention(receiptBodies: .seconds(30 * 86_400), events: .seconds(90 * 86_400), audit: .seconds(400 * 86_400))
    }

    public func source(id: String) -> Source? {
        sources.first { $0.id == id }
    }
}
