import ArgumentParser
import HookGateServer
import Logging
import Metrics
import Prometheus
import UnixSignals

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the gateway: the public ingest listener and the admin listener.")

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Do not apply pending storage migrations at start-up (run `hookgate migrate` yourself).")
    var noMigrate = false

    @Flag(help: "Do not run delivery workers here (an ingest-only instance; another instance delivers).")
    var noDelivery = false

    @Flag(help: "Do not open the public ingest listener (a delivery-only instance).")
    var noIngest = false

    @Option(help: .hidden)  // Tests shorten the lease grace to see a crashed instance's work taken over quickly.
    var leaseGraceSeconds: Int = 30

    func validate() throws {
        if noDelivery && noIngest { throw ValidationError("--no-delivery and --no-ingest together leave nothing to run") }
    }

    func run() async throws {
        let logger = options.makeLogger()
        let configuration = try options.loadConfiguration()
        let registry = PrometheusCollectorRegistry()
        // Once, before anything creates a metric, so library metrics land in /metrics too.
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))  // HookGate's own metrics use a factory of their own
        let gateway = Gateway(
            configuration: configuration, logger: logger, registry: registry, migrate: !noMigrate,
            roles: Gateway.Roles(ingest: !noIngest, delivery: !noDelivery, leaseGrace: .seconds(leaseGraceSeconds))
        )
        try await gateway.run(signals: [.sigterm, .sigint])
    }
}
