import CoreMetrics
import HookGateCore
import HookGateDelivery
import HookGateStorage
import Hummingbird
import HummingbirdCore
import Logging
import NIOConcurrencyHelpers
import NIOCore
import Prometheus
import ServiceLifecycle
import UnixSignals

/// The running gateway: storage, the group-commit writer, the public ingest listener, the admin listener and
/// certificate reloading, in one `ServiceGroup`.
///
/// Services start in list order and shut down in reverse: the ingest listener stops accepting and finishes its
/// requests first, the writer commits what is queued, and the store closes last.
public struct Gateway: Sendable {
    public let ports: ListenerPorts
    private let running = NIOLockedValueBox<ServiceGroup?>(nil)
    private let registeredAdminRoutes = NIOLockedValueBox<[String]>([])

    /// `METHOD /path` of every admin route, once ``run(signals:)`` has built the admin listener (its OpenAPI
    /// document must describe exactly these).
    public var adminRoutes: [String] { registeredAdminRoutes.withLockedValue { $0 } }
    private let configuration: HookGateConfiguration
    private let logger: Logger
    private let registry: PrometheusCollectorRegistry
    private let migrate: Bool
    private let roles: Roles

    /// What this instance does; several instances on one PostgreSQL may split the work.
    public struct Roles: Sendable, Equatable {
        /// The public listener takes webhooks.
        public var ingest: Bool
        /// Workers deliver pending events.
        public var delivery: Bool
        /// How much longer than an attempt's timeout a worker's lease lasts (at most 30 s).
        public var leaseGrace: Duration
        /// The workers' backstop poll for work they were not told about.
        public var deliveryPoll: Duration

        public init(ingest: Bool = true, delivery: Bool = true, leaseGrace: Duration = .seconds(30), deliveryPoll: Duration = .seconds(1)) {
            self.ingest = ingest
            self.delivery = delivery
            self.leaseGrace = leaseGrace
            self.deliveryPoll = deliveryPoll
        }
    }

    /// - Parameters:
    ///   - registry: where metrics go; `/metrics` renders it. Pass one per gateway (tests run several).
    ///   - migrate: apply pending migrations before the ingest listener opens and the workers start.
    ///   - roles: which of ingest and delivery this instance runs (the admin listener always runs).
    public init(
        configuration: HookGateConfiguration, logger: Logger, registry: PrometheusCollectorRegistry, migrate: Bool = true, roles: Roles = Roles()
    ) {
        self.configuration = configuration
        self.logger = logger
        self.registry = registry
        self.migrate = migrate
        self.roles = roles
        self.ports = ListenerPorts(ingest: roles.ingest)
    }

    /// Runs until a graceful-shutdown signal in `signals` arrives or the task is cancelled.
    public func run(signals: [UnixSignal] = []) async throws {
        let server = configuration.server
        let sources = Dictionary(
            uniqueKeysWithValues: configuration.sources.map { ($0.id, IngestSource($0, defaultMaxBodyBytes: server.maxBodyBytes)) })
        let tls = try server.tls.map { settings in
            do {
                return try TLSContextStore(settings: settings)
            } catch {
                throw ConfigurationError(
                    path: "server.tls", line: nil, message: "cannot load \(settings.certificatePath) / \(settings.privateKeyPath): \(error)")
            }
        }
        let store = try await StorageFactory.open(configuration.storage, logger: logger)
        if configuration.storage.encryptionKey == nil {
            logger.warning("storage.encryption_key is not set: subscription signing secrets are stored unencrypted (docs/operations.md)")
        }
        // One writer measured best on both backends: batches grow with commit latency, so fewer, larger commits
        // cost less per record (docs/benchmarks.md).
        let writer = IngestWriter(store: store, writers: 1, logger: logger)
        let factory = HookGateMetrics.factory(registry: registry)
        let metrics = HookGateMetrics(sourceIDs: configuration.sources.map(\.id), factory: factory)
        let migration = StartupMigration(store: store, enabled: migrate, logger: logger)
        let directory = DestinationDirectory(configuration: configuration)
        let wake = WakeSignal()

        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: store), .init(service: migration), .init(service: writer),
        ]
        services.append(.init(service: CertificateReloadService(store: tls, logger: logger)))
        let delivery =
            roles.delivery
            ? DeliveryService(
                store: store, directory: directory, sender: DeliverySender(allowPrivate: configuration.subscriptions.allowPrivate), wake: wake,
                metrics: DeliveryMetrics(factory: factory), logger: logger, pollInterval: roles.deliveryPoll,
                leaseGrace: roles.leaseGrace.timeInterval,
                ready: { try await migration.wait() }
            ) : nil
        let erasures = ErasureService(store: store, logger: logger, ready: { try await migration.wait() })
        let retentionStatus = RetentionStatus()
        services.append(.init(service: erasures))
        services.append(
            .init(
                service: adminApplication(
                    store: store, directory: directory, wake: wake, delivery: delivery, erasures: erasures, retentionStatus: retentionStatus,
                    ingestWindow: metrics.window)))
        services.append(.init(service: DirectoryRefresh(directory: directory, store: store, logger: logger, ready: { try await migration.wait() })))
        services.append(
            .init(
                service: PruneService(
                    store: store, retention: configuration.retention, factory: factory, status: retentionStatus, logger: logger,
                    ready: { try await migration.wait() })))
        if let delivery { services.append(.init(service: delivery)) }
        if roles.ingest {
            let autoErase = Set(configuration.sources.filter(\.autoErase).map(\.id))
            let ingest = IngestApplicationParts(
                sources: sources, writer: writer, directory: directory, wake: roles.delivery ? wake : nil,
                autoErasure: autoErase.isEmpty ? nil : AutoErasure(erasures: erasures, sources: autoErase, logger: logger))
            services.append(.init(service: ingestApplication(ingest, store: store, metrics: metrics, tls: tls, migration: migration)))
        }
        if tls == nil && roles.ingest {
            logger.warning("server.tls is not set: the public listener speaks plaintext HTTP; terminate TLS in front of it")
        }
        var group = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: signals, logger: logger)
        group.maximumGracefulShutdownDuration = Duration.seconds(25)
        group.maximumCancellationDuration = Duration.seconds(5)
        let serviceGroup = ServiceGroup(configuration: group)
        running.withLockedValue { $0 = serviceGroup }
        try await serviceGroup.run()
        logger.notice("HookGate stopped: requests finished, queued commits written, storage closed")
    }

    /// Starts a graceful shutdown, as SIGTERM would: stop accepting, finish requests, commit, close.
    public func shutdown() async {
        await running.withLockedValue { $0 }?.triggerGracefulShutdown()
    }

    /// What the ingest listener shares with the rest of the gateway.
    private struct IngestApplicationParts {
        let sources: [String: IngestSource]
        let writer: IngestWriter
        let directory: DestinationDirectory
        /// Wakes this instance's delivery workers after a commit with deliveries; nil when they do not run here.
        let wake: WakeSignal?
        let autoErasure: AutoErasure?
    }

    private func ingestApplication(
        _ parts: IngestApplicationParts, store: any EventStore, metrics: HookGateMetrics, tls: TLSContextStore?, migration: StartupMigration
    ) -> some ApplicationProtocol {
        let server = configuration.server
        let responder = IngestResponder(
            sources: parts.sources,
            intake: Intake(fanOut: parts.directory.fanOut),
            wake: parts.wake,
            writer: parts.writer,
            rateLimiter: server.rateLimit.isEnabled ? RateLimiter(perSecond: server.rateLimit.perIPPerSecond, burst: server.rateLimit.burst) : nil,
            budget: BodyBudget(capacity: server.maxBufferedBytes),
            metrics: metrics,
            autoErasure: parts.autoErasure
        )
        let ports = self.ports
        let logger = self.logger
        let scheme = tls == nil ? "http" : "https"
        var app = Application(
            responder: responder,
            server: hardenedHTTP1(tls: tls),
            configuration: .init(
                address: .hostname(server.listen.host, port: server.listen.port),
                serverName: "HookGate",
                availableConnectionsDelegate: MaximumAvailableConnections(server.maxConnections, logger: logger)
            ),
            onServerRunning: { channel in
                ports.setIngest(channel.localAddress?.port)
                logger.notice("ingest listener ready", metadata: ["hookgate.address": "\(scheme)://\(Self.describe(channel.localAddress))"])
            },
            logger: logger
        )
        let directory = parts.directory
        app.beforeServerStarts {
            try await migration.wait()
            // Subscriptions created before this start are matched from the first request on.
            try await directory.reload(from: store)
        }
        return app
    }

    /// HTTP/1 with the listeners' hardening (DESIGN.md §4): read and idle timeouts, header limits; TLS when given.
    private func hardenedHTTP1(tls: TLSContextStore?) -> HTTPServerBuilder {
        let server = configuration.server
        let http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [RequestEndObserver()],
            idleTimeout: TimeAmount(server.idleTimeout),
            httpDecoderConfiguration: .init(
                maxHeaderFieldSize: server.maxHeaderBytes, maxHeaderListSize: server.maxHeaderBytes, maxHeaderFieldCount: 200)
        )
        let readTimeout = TimeAmount(server.readTimeout)
        return HTTPServerBuilder { responder in
            HardenedHTTPChannel(base: HTTP1Channel(responder: responder, configuration: http1), tls: tls, readTimeout: readTimeout)
        }
    }

    /// On-call tools and dashboards need few connections; a cap keeps a runaway script from taking the process.
    static let adminMaxConnections = 256

    private func adminApplication(
        store: any EventStore, directory: DestinationDirectory, wake: WakeSignal, delivery: DeliveryService?, erasures: ErasureService,
        retentionStatus: RetentionStatus, ingestWindow: IngestWindow
    ) -> some ApplicationProtocol {
        let router = Router(context: AdminRequestContext.self)
        router.addMiddleware { AdminErrorMiddleware() }
        let ports = self.ports
        HealthController(store: store, registry: registry, ingestAccepting: { ports.ingestAccepting }).register(on: router)
        let credentials = AdminCredentials(tokens: configuration.admin.tokens)
        let sessions = ConsoleSessions()
        // The admin listener speaks plain HTTP (docs/operations.md: keep it on a private address), so no `Secure`.
        ConsoleController(credentials: credentials, sessions: sessions, secureCookies: false).register(on: router)
        let v1 = router.group("v1").add(middleware: AdminAuthMiddleware(credentials: credentials, sessions: sessions))
        EventsController(store: store, sourceIDs: configuration.sources.map(\.id)).register(on: v1)
        let notice = WorkNotice(store: store, wake: roles.delivery ? wake : nil)
        var circuits: (@Sendable () -> [String: String])?
        if let delivery { circuits = { delivery.circuitStates() } }
        DeliveriesController(store: store, notice: notice, directory: directory, circuits: circuits).register(on: v1)
        ReplaysController(store: store, directory: directory, sourceIDs: Set(configuration.sources.map(\.id)), notice: notice).register(on: v1)
        RedeliveryController(store: store, directory: directory, notice: notice).register(on: v1)
        AuditController(store: store).register(on: v1)
        ErasuresController(store: store, erasures: erasures, sourceIDs: Set(configuration.sources.map(\.id))).register(on: v1)
        RetentionController(retention: configuration.retention, status: retentionStatus).register(on: v1)
        IngestStatsController(window: ingestWindow).register(on: v1)
        DestinationsController(store: store, directory: directory, circuits: circuits).register(on: v1)
        SubscriptionsController(store: store, directory: directory, sourceIDs: Set(configuration.sources.map(\.id)), notice: notice).register(on: v1)
        OpenAPIDocument.register(on: v1)
        registeredAdminRoutes.withLockedValue { $0 = router.routes.map { "\($0.method) \($0.path)" } }
        let logger = self.logger
        // Hardened like the public listener: a slow or idle client cannot hold admin connections either.
        return Application(
            router: router,
            server: hardenedHTTP1(tls: nil),
            configuration: .init(
                address: .hostname(configuration.server.adminListen.host, port: configuration.server.adminListen.port), serverName: "HookGate",
                availableConnectionsDelegate: MaximumAvailableConnections(Self.adminMaxConnections, logger: logger)
            ),
            onServerRunning: { channel in
                ports.setAdmin(channel.localAddress?.port)
                logger.notice("admin listener ready", metadata: ["hookgate.address": "http://\(Self.describe(channel.localAddress))"])
            },
            logger: logger
        )
    }

    private static func describe(_ address: SocketAddress?) -> String {
        guard let address, let ip = address.ipAddress, let port = address.port else { return "?" }
        return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }
}
