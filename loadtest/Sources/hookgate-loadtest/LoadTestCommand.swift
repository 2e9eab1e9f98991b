import ArgumentParser
import Foundation
import HookGateCore
import NIOCore
import NIOPosix
import NIOSSL

/// Drives unique, correctly signed webhooks at a gateway over keep-alive connections and reports throughput,
/// latency percentiles and outcomes.
@main
struct LoadTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hookgate-loadtest",
        abstract: "Send signed webhooks to a running HookGate and measure it.",
        discussion: "loadtest/run.sh wraps this: it starts a gateway, runs the load, and checks what was stored."
    )

    @Option(help: "Ingest URL, e.g. https://127.0.0.1:8443/webhooks/stripe.")
    var url: String

    @Option(help: "Signing secret of the source.")
    var secret: String

    @Option(help: "Provider whose webhooks to send: \(ProviderKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var provider: String = "stripe"

    @Option(help: "Concurrent keep-alive connections.")
    var connections: Int = 64

    @Option(help: "Seconds to run.")
    var duration: Int = 10

    @Option(help: "Target requests per second over all connections; 0 sends as fast as answers come back.")
    var rate: Int = 0

    @Option(help: "Approximate body size in bytes.")
    var payloadBytes: Int = 1_500

    @Option(help: "Write the summary as JSON to this file.")
    var jsonOutput: String?

    @Option(help: "Also run a delivery sink on this port (127.0.0.1) and report deliveries and end-to-end latency.")
    var sinkPort: Int?

    @Flag(help: "Send nothing: only run the sink until --expect deliveries arrived (or --duration passed) and report deliveries/s.")
    var sinkOnly = false

    @Option(help: "With --sink-only: how many deliveries to wait for.")
    var expect: Int = 0

    @Option(help: "With --sink-port: how long to wait after the load for deliveries to catch up.")
    var drainSeconds: Int = 15

    func run() async throws {
        let sink = DeliverySink()
        var sinkChannel: (any Channel)?
        if let sinkPort { sinkChannel = try await sink.start(port: sinkPort, group: MultiThreadedEventLoopGroup.singleton) }
        if sinkOnly {
            guard let sinkChannel else { throw ValidationError("--sink-only needs --sink-port") }
            print("hookgate-loadtest: sink on 127.0.0.1:\(sinkPort!), waiting for \(expect) deliveries (at most \(duration) s)")
            let deadline = ContinuousClock.now + .seconds(duration)
            while sink.delivered < expect, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            try await sinkChannel.close()
            print(SinkReport(sink: sink, expected: expect).text)
            return
        }
        guard let target = Target(url: url) else { throw ValidationError("--url must be http(s)://host:port/path") }
        guard let provider = ProviderKind(rawValue: provider) else { throw ValidationError("unknown --provider \(provider)") }
        let sslContext =
            try target.tls
            ? NIOSSLContext(
                configuration: {
                    var tls = TLSConfiguration.makeClientConfiguration()
                    tls.certificateVerification = .none  // the gateway under test uses a development certificate
                    return tls
                }()) : nil
        let plan = LoadPlan(
            target: target, webhooks: WebhookFactory(provider: provider, secret: secret, url: url, payloadBytes: payloadBytes),
            duration: .seconds(duration),
            perConnectionInterval: rate > 0 ? .nanoseconds(Int64(1_000_000_000) * Int64(connections) / Int64(rate)) : nil
        )
        let runID = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        print(
            "hookgate-loadtest: \(connections) connections, \(duration) s, \(rate > 0 ? "\(rate)/s" : "closed loop"), ~\(payloadBytes) B bodies → \(url)"
        )
        let started = ContinuousClock.now
        let results = try await withThrowingTaskGroup(of: ConnectionResult.self) { group in
            for index in 0..<connections {
                group.addTask {
                    // Paced connections take turns, one every 1/rate seconds: steady arrivals at the rate asked for.
                    let firstSendDelay = rate > 0 ? TimeAmount.nanoseconds(Int64(1_000_000_000) * Int64(index) / Int64(rate)) : .zero
                    return try await LoadConnection(plan: plan, sslContext: sslContext, id: "\(runID)_\(index)", firstSendDelay: firstSendDelay).run()
                }
            }
            return try await group.reduce(into: [ConnectionResult]()) { $0.append($1) }
        }
        let summary = Summary(results: results, elapsed: started.duration(to: .now))
        print(summary.text)
        if let sinkChannel {
            let deadline = ContinuousClock.now + .seconds(drainSeconds)
            while sink.delivered < summary.accepted, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            try await sinkChannel.close()
            print(SinkReport(sink: sink, expected: summary.accepted).text)
        }
        if let jsonOutput {
            try Data(summary.json.utf8).write(to: URL(fileURLWithPath: jsonOutput))
        }
    }
}
