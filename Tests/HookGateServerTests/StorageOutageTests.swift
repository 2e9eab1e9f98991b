import AsyncHTTPClient
import Foundation
import HookGateTesting
import NIOHTTP1
import Testing

@testable import HookGateCore

/// PostgreSQL goes away: 503 with Retry-After and nothing acknowledged; it comes back: 200 again, no restart.
@Suite("Storage outage")
struct StorageOutageTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".ci/postgres.sh").path

    /// Runs `.ci/postgres.sh` against a private cluster, so stopping it disturbs no other test.
    static func cluster(_ action: String, directory: String, port: Int) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script, action]
        process.environment = ProcessInfo.processInfo.environment.merging(["HOOKGATE_PG_PORT": String(port), "HOOKGATE_PG_DIR": directory]) { $1 }
        // A file, not a pipe: the postmaster the script starts inherits the descriptor, so a pipe would never
        // reach end-of-file.
        let outputURL = TemporaryDirectory.make().appendingPathComponent("postgres.out")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestSetupError(".ci/postgres.sh \(action) failed") }
        return try String(contentsOf: outputURL, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("PostgreSQL stopped → 503, restarted → 200 without restarting HookGate", .enabled(if: TestBackend.postgresURL != nil))
    func outageAndRecovery() async throws {
        let directory = "/tmp/hookgate-pg-outage-\(UUID().uuidString.prefix(8))"
        // A port of its own each run: a cluster left by a run that was killed must not make this one fail.
        let port = try freeLoopbackPort()
        let url = try Self.cluster("start", directory: directory, port: port)
        defer { _ = try? Self.cluster("destroy", directory: directory, port: port) }
        var configuration = try testConfiguration(backend: .sqlite)
        configuration.storage.location = try StorageLocation(parsing: url)
        try await withGateway(configuration) { gateway in
            #expect(try await gateway.postSignedStripe(body: stripeBody()).status == 200)

            _ = try Self.cluster("stop", directory: directory, port: port)
            let body = stripeBody()
            let started = ContinuousClock.now
            let down = try await gateway.postSignedStripe(body: body)
            #expect(down.status == 503)
            #expect(down.body == #"{"error":"unavailable"}"#)
            #expect(down.headers.first(name: "Retry-After") != nil)
            #expect(started.duration(to: .now) < .seconds(20), "a provider must not wait long for the 503")
            #expect(try await gateway.admin("/readyz", token: nil).status == 503)

            _ = try Self.cluster("start", directory: directory, port: port)
            var recovered: (status: Int, body: String)?
            for _ in 0..<60 {
                let response = try await gateway.postSignedStripe(body: body)
                if response.status == 200 {
                    recovered = (response.status, response.body)
                    break
                }
                try await Task.sleep(for: .milliseconds(500))
            }
            let answer = try #require(recovered, "ingest did not recover after PostgreSQL came back")
            // The 503 acknowledged nothing. Its commit may still have landed once the database returned, so the
            // retry is accepted or a duplicate; either way the event is stored exactly once.
            #expect(answer.body.contains(#""accepted""#) || answer.body.contains(#""duplicate""#))
            #expect(try await gateway.admin("/readyz", token: nil).status == 200)
            let events = try await gateway.adminJSON("/v1/events?source=stripe")
            #expect((events["data"] as? [Any])?.count == 2)
        }
    }
}
