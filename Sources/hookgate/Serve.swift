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

    func run() async throws {
        let logger = options.makeLogger()
        let configuration = try options.loadConfiguration()
        let registry = PrometheusCollectorRegistry()
        // Once, before anything creates a metric, so library metrics land in /metrics too.
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))  // HookGate's own metrics use a factory of their own
        let gateway = Gateway(configuration: configuration, logger: logger, registry: registry, migrate: !noMigrate)
        try await gateway.run(signals: [.sigterm, .sigint])
    }
}
