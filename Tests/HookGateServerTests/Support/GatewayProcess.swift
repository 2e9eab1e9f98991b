import Foundation
import HookGateTesting

/// The real `hookgate serve` binary as a child process, for tests that kill it or send it signals.
final class GatewayProcess: Sendable {
    private let process: Process
    private let output: PipeCollector
    let ingestPort: Int
    let adminPort: Int

    /// The debug build's binary, built by `swift build --build-tests` (scripts/test builds it before testing).
    static var binary: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/hookgate")
    }

    /// Starts the gateway with `configYAML` (which should listen on port 0) and waits until both listeners are up.
    init(configYAML: String, directory: URL, arguments: [String] = []) async throws {
        let configPath = directory.appendingPathComponent("routes.yaml")
        try configYAML.write(to: configPath, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["serve", "--config", configPath.path, "--log-level", "notice"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = PipeCollector(pipe)
        self.process = process
        self.output = output

        let deadline = ContinuousClock.now + .seconds(60)
        var ports: (Int, Int)?
        while ContinuousClock.now < deadline, process.isRunning {
            let text = output.text
            if let ingest = Self.port(after: "ingest listener ready", in: text), let admin = Self.port(after: "admin listener ready", in: text) {
                ports = (ingest, admin)
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        guard let ports else {
            process.terminate()
            throw TestSetupError("hookgate did not start: \(output.text)")
        }
        (ingestPort, adminPort) = ports
    }

    var log: String { output.text }

    func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// SIGKILL: no shutdown code runs, exactly like a crash or an OOM kill.
    func kill9() {
        signal(SIGKILL)
        process.waitUntilExit()
    }

    func terminate() async {
        signal(SIGTERM)
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
    }

    /// Reads the port from a log line such as `hookgate.address=http://127.0.0.1:41234 … ingest listener ready`.
    private static func port(after marker: String, in log: String) -> Int? {
        guard let line = log.split(separator: "\n").first(where: { $0.contains(marker) }),
            let address = line.split(separator: " ").first(where: { $0.hasPrefix("hookgate.address=") }),
            let port = address.split(separator: ":").last.flatMap({ Int($0) })
        else { return nil }
        return port
    }
}
