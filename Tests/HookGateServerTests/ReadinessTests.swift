import AsyncHTTPClient
import Foundation
import HookGateServer
import HookGateTesting
import Logging
import NIOCore
import NIOHTTP1
import Prometheus
import Testing

@testable import HookGateCore

/// `/readyz` says ready only once the instance can take webhooks: while its start-up migration waits for another
/// instance's (a PostgreSQL advisory lock), the admin listener is up but the public one is not.
@Suite("Readiness")
struct ReadinessTests {
    @Test(
        "not ready while the start-up migration waits for another instance; ready once the public listener accepts",
        .enabled(if: TestBackend.postgresURL != nil))
    func readyOnlyWhenAccepting() async throws {
        let storageURL = try TestBackend.postgres.makeStorageURL()
        var configuration = try testConfiguration(backend: .sqlite)
        configuration.storage.location = try StorageLocation(parsing: storageURL)
        let adminPort = try freeLoopbackPort()
        configuration.server.adminListen = ListenAddress(host: "127.0.0.1", port: adminPort)
        let otherInstance = try AdvisoryLockHolder(url: storageURL)
        defer { otherInstance.release() }

        var logger = Logger(label: "readiness-test")
        logger.logLevel = .critical
        let gateway = Gateway(configuration: configuration, logger: logger, registry: PrometheusCollectorRegistry())
        try await withHTTPClient { client in
            func readyz() async -> (status: Int, body: String)? {
                guard let response = try? await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(adminPort)/readyz"), timeout: .seconds(5)),
                    let body = try? await response.body.collect(upTo: 4096)
                else { return nil }
                return (Int(response.status.code), String(buffer: body))
            }
            try await whileRunning(gateway) {
                var answer: (status: Int, body: String)?
                for _ in 0..<100 where answer == nil {
                    answer = await readyz()
                    if answer == nil { try await Task.sleep(for: .milliseconds(100)) }
                }
                // The storage answers, yet the instance is not ready: its public listener waits for the migration.
                for _ in 0..<5 {
                    let starting = try #require(await readyz(), "the admin listener did not come up")
                    #expect(starting.status == 503)
                    #expect(starting.body.contains(#""status":"starting""#))
                    try await Task.sleep(for: .milliseconds(200))
                }

                otherInstance.release()
                var ready = false
                for _ in 0..<100 where !ready {
                    ready = await readyz()?.status == 200
                    if !ready { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(ready, "readyz never reported ready after the migration could run")
                // Ready means a provider's webhook is taken at once.
                let ports = try await gateway.ports.bound(timeout: .seconds(1))
                let running = RunningGateway(
                    ingestURL: "http://127.0.0.1:\(ports.ingest)", adminURL: "http://127.0.0.1:\(ports.admin)", client: client, adminRoutes: []
                )
                #expect(try await running.postSignedStripe(body: stripeBody()).status == 200)
            }
        }
    }
}

/// Another instance migrating: a `psql` session holding the advisory lock HookGate's migrations take. Advisory locks
/// belong to one database, so it blocks only the gateway on this test's database; the session is found by its
/// application name, because other tests' migrations take the same lock on theirs.
private struct AdvisoryLockHolder {
    private let process = Process()
    private let url: String
    private let session = "hookgate-readiness-\(UUID().uuidString.prefix(8))"

    init(url: String) throws {
        self.url = url
        try psql("SELECT pg_advisory_lock(727274)", "SELECT pg_sleep(300)", process: process, applicationName: session)
        let held =
            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE a.application_name = '\(session)' AND l.locktype = 'advisory' AND l.granted"
        for _ in 0..<100 {
            if try output(held) == "1" { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        release()
        throw TestSetupError("psql did not take the advisory lock")
    }

    /// Ends the holding session (the server would not notice a killed client while it sleeps).
    func release() {
        guard process.isRunning else { return }
        _ = try? output("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '\(session)'")
        process.waitUntilExit()
    }

    private func psql(_ commands: String..., process: Process, applicationName: String = "hookgate-tests", output: Pipe? = nil) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", url, "-qAt"] + commands.flatMap { ["-c", $0] }
        process.environment = ProcessInfo.processInfo.environment.merging(["PGAPPNAME": applicationName]) { $1 }
        process.standardOutput = output ?? FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    private func output(_ command: String) throws -> String {
        let process = Process()
        let output = Pipe()
        try psql(command, process: process, output: output)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
