import CoreMetrics
import HookGateCore
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
    public let ports = ListenerPorts()
    private let running = NIOLockedValueBox<ServiceGroup?>(nil)
    private let configuration: HookGateConfiguration
    private let logger: Logger
    private let registry: PrometheusCollectorRegistry
    private let migrate: Bool

    /// - Parameters:
    ///   - registry: where metrics go; `/metrics` renders it. Pass one per gateway (tests run several).
    ///   - migrate: apply pending migrations before the ingest listener opens.
    public init(configuration: HookGateConfiguration, logger: Logger, registry: PrometheusCollectorRegistry, migrate: Bool = true) {
        self.configuration = configuration
        self.logger = logger
        self.registry = registry
        self.migrate = migrate
    }

    /// Runs until a graceful-shutdown signal in `signals` arrives or the task is cancelled.
    public func run(signals: [UnixSignal] = []) async throws {
        let server = configuration.server
        let sources = Dictionary(uniqueKeysWithValues: configuration.sources.map { ($0.id, IngestSource($0, defaultMaxBodyBytes: server.maxBodyBytes)) })
        let tls = try server.tls.map { settings in
            do {
                return try TLSContextStore(settings: settings)
            } catch {
                throw ConfigurationError(path: "server.tls", line: nil, message: "cannot load \(settings.certificatePath) / \(settings.privateKeyPath): \(error)")
            }
        }
        let store = try await StorageFactory.open(configuration.storage.location, logger: logger)
        // One writer measured best on both backends: batches grow with commit latency, so fewer, larger commits
        // cost less per record (docs/benchmarks.md).
        let writer = IngestWriter(store: store, writers: 1, logger: logger)
        let metrics = HookGateMetrics(sourceIDs: configuration.sources.map(\.id), factory: HookGateMetrics.factory(registry: registry))

        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: store), .init(service: writer)]
        if let tls { services.append(.init(service: CertificateReloadService(store: tls, logger: logger))) }
        services.append(.init(service: adminApplication(store: store)))
        services.append(.init(service: ingestApplication(sources: sources, writer: writer, store: store, metrics: metrics, tls: tls)))
        if tls == nil {
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

    private func ingestApplication(
        sources: [String: IngestSource], writer: IngestWriter, store: any EventStore, metrics: HookGateMetrics, tls: TLSContextStore?
    ) -> some ApplicationProtocol {
        let server = configuration.server
        let responder = IngestResponder(
            sources: sources,
            routes: RouteTable(routes: configuration.routes),
            writer: writer,
            rateLimiter: server.rateLimit.isEnabled ? RateLimiter(perSecond: server.rateLimit.perIPPerSecond, burst: server.rateLimit.burst) : nil,
            metrics: metrics
        )
        let http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [RequestEndObserver()],
            idleTimeout: .nanoseconds(server.idleTimeout.nanoseconds),
            httpDecoderConfiguration: .init(maxHeaderFieldSize: server.maxHeaderBytes, maxHeaderListSize: server.maxHeaderBytes, maxHeaderFieldCount: 200)
        )
        let readTimeout = TimeAmount.nanoseconds(server.readTimeout.nanoseconds)
        let ports = self.ports
        let logger = self.logger
        let scheme = tls == nil ? "http" : "https"
        var app = Application(
            responder: responder,
            server: HTTPServerBuilder { responder in
                HardenedHTTPChannel(base: HTTP1Channel(responder: responder, configuration: http1), tls: tls, readTimeout: readTimeout)
            },
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
        if migrate {
            app.beforeServerStarts {
                let applied = try await store.migrate(logger: logger)
                if !applied.isEmpty { logger.notice("migrated storage", metadata: ["hookgate.migrations": "\(applied)"]) }
            }
        }
        return app
    }

    private func adminApplication(store: any EventStore) -> some ApplicationProtocol {
        let router = Router(context: AdminRequestContext.self)
        router.addMiddleware { AdminErrorMiddleware() }
        HealthController(store: store, registry: registry).register(on: router)
        let v1 = router.group("v1").add(middleware: AdminAuthMiddleware(tokens: configuration.admin.tokens))
        EventsController(store: store).register(on: v1)
        let ports = self.ports
        let logger = self.logger
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.server.adminListen.host, port: configuration.server.adminListen.port), serverName: "HookGate"),
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
