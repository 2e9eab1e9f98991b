import AsyncHTTPClient
import Foundation
import HookGateProviders
import HookGateTesting
import NIOConcurrencyHelpers
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Testing

/// SIGKILL in the middle of a load run: every acknowledged event survives, nothing is stored twice.
@Suite("Crash recovery", .serialized)
struct CrashRecoveryTests {
    @Test("SIGKILL during load loses nothing acknowledged and stores nothing twice", arguments: TestBackend.available)
    func killDuringLoad(backend: TestBackend) async throws {
        let directory = TemporaryDirectory.make()
        let source = uniqueSourceID("stripe")
        let secret = "whsec_crash_test"
        let storage = try backend.makeStorageURL()
        let yaml = """
            server: { listen: 127.0.0.1:0, admin_listen: 127.0.0.1:0, rate_limit: { per_ip_per_second: 0 } }
            storage: { url: "\(storage)" }
            admin: { tokens: [ { name: t, token: crash-test-admin-token, role: admin } ] }
            sources: [ { id: \(source), provider: stripe, secrets: ["\(secret)"] } ]
            targets: [ { id: billing, url: "http://127.0.0.1:9/x" } ]
            routes: [ { name: all, match: { types: ["*"] }, targets: [billing] } ]
            """
        try await withHTTPClient { client in
            try await run(backend: backend, yaml: yaml, directory: directory, source: source, secret: secret, client: client)
        }
    }

    private func run(backend: TestBackend, yaml: String, directory: URL, source: String, secret: String, client: HTTPClient) async throws {

        // 1. Load with 16 concurrent senders, then SIGKILL mid-run.
        let gateway = try await GatewayProcess(configYAML: yaml, directory: directory)
        let attempted = NIOLockedValueBox<[String: String]>([:])  // provider event id -> body
        let acknowledged = NIOLockedValueBox<[String: String]>([:])  // provider event id -> HookGate event id
        let stop = NIOLockedValueBox(false)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for sender in 0..<16 {
                group.addTask {
                    var sequence = 0
                    while !stop.withLockedValue({ $0 }) {
                        sequence += 1
                        let eventID = "evt_crash_\(sender)_\(sequence)"
                        let body = stripeBody(id: eventID)
                        attempted.withLockedValue { $0[eventID] = body }
                        guard
                            let response = try? await Self.send(
                                body, to: "http://127.0.0.1:\(gateway.ingestPort)/webhooks/\(source)", secret: secret, client: client)
                        else {
                            try? await Task.sleep(for: .milliseconds(5))
                            continue
                        }
                        if response.status == 200, let id = response.eventIDs.first { acknowledged.withLockedValue { $0[eventID] = id } }
                    }
                }
            }
            group.addTask {
                // Kill mid-run once enough is acknowledged to mean something, however fast this machine is.
                let deadline = ContinuousClock.now + .seconds(20)
                while acknowledged.withLockedValue({ $0.count }) < 100, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
                gateway.kill9()
                try await Task.sleep(for: .milliseconds(200))
                stop.withLockedValue { $0 = true }
            }
            try await group.waitForAll()
        }
        let acked = acknowledged.withLockedValue { $0 }
        let sent = attempted.withLockedValue { $0 }
        #expect(acked.count >= 100, "the run acknowledged too little to mean anything (\(acked.count))")
        #expect(sent.count > acked.count, "some requests must have been in flight when the process died")

        // 2. Restart on the same database and resend everything that was attempted, acknowledged or not.
        let restarted = try await GatewayProcess(configYAML: yaml, directory: directory)
        var duplicates = 0
        var newlyStored = 0
        for (eventID, body) in sent {
            let response = try await Self.send(
                body, to: "http://127.0.0.1:\(restarted.ingestPort)/webhooks/\(source)", secret: secret, client: client)
            #expect(response.status == 200)
            if let original = acked[eventID] {
                #expect(response.status == 200 && response.text.contains(#""duplicate""#), "acknowledged \(eventID) was lost")
                #expect(response.eventIDs == [original], "acknowledged \(eventID) changed identity")
                duplicates += 1
            } else if response.text.contains(#""accepted""#) {
                newlyStored += 1
            }
        }
        #expect(duplicates == acked.count)

        // 3. Exactly one stored event per distinct provider event, no more.
        var stored = 0
        var cursor: String?
        repeat {
            var request = HTTPClientRequest(
                url: "http://127.0.0.1:\(restarted.adminPort)/v1/events?source=\(source)&limit=500" + (cursor.map { "&cursor=\($0)" } ?? ""))
            request.headers.add(name: "Authorization", value: "Bearer crash-test-admin-token")
            let response = try await client.execute(request, timeout: .seconds(30))
            let page = try JSONSerialization.jsonObject(with: Data(buffer: try await response.body.collect(upTo: 50_000_000))) as? [String: Any]
            stored += (page?["data"] as? [Any])?.count ?? 0
            cursor = page?["next_cursor"] as? String
        } while cursor != nil
        #expect(stored == sent.count, "every distinct event stored exactly once (stored \(stored), distinct \(sent.count))")
        print("crash test (\(backend)): \(sent.count) attempted, \(acked.count) acknowledged before SIGKILL, \(newlyStored) stored only on resend")
        await restarted.terminate()
    }

    struct Answer {
        let status: Int
        let text: String
        var eventIDs: [String] {
            ((try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any])?["events"] as? [String] ?? []
        }
    }

    static func send(_ body: String, to url: String, secret: String, client: HTTPClient) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(
            name: "Stripe-Signature",
            value: StripeSigner.signatureHeader(body: Array(body.utf8), secret: secret, timestamp: Int64(Date().timeIntervalSince1970)))
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(10))
        return Answer(status: Int(response.status.code), text: String(buffer: try await response.body.collect(upTo: 1 << 20)))
    }
}
