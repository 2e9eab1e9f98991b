import AsyncHTTPClient
import Foundation
import HookGateProviders
import HookGateTesting
import NIOCore
import NIOHTTP1
import Testing

/// Two real `hookgate serve` processes on one PostgreSQL: SIGKILL one mid-delivery, and the other finishes its leased
/// work once the leases expire (DESIGN.md §3). Duplicates are possible only for attempts cut off by the crash; the
/// test measures them.
@Suite("Delivery takeover after SIGKILL")
struct DeliveryTakeoverTests {
    @Test("the surviving instance delivers everything the killed one had leased", .enabled(if: TestBackend.postgresURL != nil))
    func takeover() async throws {
        let behaviour: WebhookSink.Behaviour = { _, _ in .init(delay: .milliseconds(800)) }
        try await WebhookSink.with(behaviour: behaviour) { sink in
            let suffix = uniqueSourceID("x").split(separator: "-").last!
            let storage = try TestBackend.postgres.makeStorageURL()
            let yaml = """
                \(sharedYAML(storageURL: storage))
                sources:
                  - { id: stripe-\(suffix), provider: stripe, secrets: ["\(RunningGateway.stripeSecret)"] }
                targets:
                  - { id: work-\(suffix), url: "\(sink.baseURL)/work", timeout_seconds: 10, max_in_flight: 8, retry: { schedule: [0s, 1s, 1s, 1s], jitter: 0 } }
                routes:
                  - { name: all, match: { types: ["*"], sources: [stripe-\(suffix)] }, targets: [work-\(suffix)] }
                """
            let arguments = ["--lease-grace-seconds", "2"]
            let doomed = try await GatewayProcess(configYAML: yaml, directory: TemporaryDirectory.make(), arguments: arguments)
            let ids = try await withHTTPClient { client in
                var ids: Set<String> = []
                for _ in 0..<30 {
                    let body = stripeBody()
                    var request = HTTPClientRequest(url: "http://127.0.0.1:\(doomed.ingestPort)/webhooks/stripe-\(suffix)")
                    request.method = .POST
                    request.headers.add(
                        name: "Stripe-Signature",
                        value: StripeSigner.signatureHeader(
                            body: Array(body.utf8), secret: RunningGateway.stripeSecret, timestamp: Int64(Date().timeIntervalSince1970)))
                    request.body = .bytes(ByteBuffer(string: body))
                    let response = try await client.execute(request, timeout: .seconds(10))
                    let answer = try await response.body.collect(upTo: 4096)
                    let events = (try JSONSerialization.jsonObject(with: Data(answer.readableBytesView)) as? [String: Any])?["events"] as? [String]
                    ids.formUnion(events ?? [])
                }
                return ids
            }
            #expect(ids.count == 30)
            // Kill the instance while it holds leased, half-sent deliveries; only then does the second one start.
            _ = try await sink.wait(for: "/work", count: 6)
            doomed.kill9()
            let cutOff = sink.requests("/work").count
            let survivor = try await GatewayProcess(configYAML: yaml, directory: TemporaryDirectory.make(), arguments: arguments)
            defer { Task { await survivor.terminate() } }
            // Done means recorded as succeeded, not merely received: the killed instance's sends never got recorded.
            let succeeded = try await withHTTPClient { admin in
                var succeeded = 0
                let deadline = ContinuousClock.now + .seconds(90)
                while succeeded < ids.count, ContinuousClock.now < deadline {
                    succeeded = 0
                    for id in ids {
                        var request = HTTPClientRequest(url: "http://127.0.0.1:\(survivor.adminPort)/v1/events/\(id)")
                        request.headers.add(name: "Authorization", value: "Bearer \(RunningGateway.adminToken)")
                        let response = try await admin.execute(request, timeout: .seconds(10))
                        let body = try await response.body.collect(upTo: 1 << 20)
                        let deliveries =
                            (try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any])?["deliveries"]
                            as? [[String: Any]]
                        if deliveries?.first?["status"] as? String == "succeeded" { succeeded += 1 }
                    }
                    if succeeded < ids.count { try await Task.sleep(for: .milliseconds(250)) }
                }
                return succeeded
            }
            #expect(succeeded == ids.count, "every delivery ends succeeded")
            let received = sink.requests("/work").compactMap { $0.header("webhook-id") }
            #expect(Set(received) == ids, "every event is delivered by the survivor")
            let duplicates = received.count - Set(received).count
            print("takeover test: 30 events, \(cutOff) requests sent before SIGKILL, \(received.count) received in all, \(duplicates) duplicates")
            // What the killed instance had in flight (at most max_in_flight, 8) or had sent without its outcome
            // committed yet (together with those in flight, at most twice max_in_flight) can arrive twice.
            #expect(duplicates <= 16, "only the killed instance's unrecorded attempts can arrive twice")
            #expect(survivor.log.contains("released expired delivery leases"))
        }
    }
}
