import AsyncHTTPClient
import Foundation
import HTTPTypes
import HookGateCore
import HookGateDelivery
import HookGateProviders
import HookGateServer
import HookGateTesting
import NIOCore
import NIOHTTP1
import Testing

@testable import HookGateCore

/// Delivery end to end: a real gateway ingests signed webhooks and its workers deliver them to a real HTTP sink on
/// 127.0.0.1, on every storage backend (DESIGN.md §7).
@Suite("Delivery end to end")
struct DeliveryEndToEndTests {
    static let targetSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    /// Target ids carry the source's unique suffix: tests share one PostgreSQL database, and workers serve every
    /// delivery of a destination they know.
    func configuration(
        _ backend: TestBackend, sink: WebhookSink, source: String, allowPrivate: Bool = true, storageURL: String? = nil
    ) throws -> HookGateConfiguration {
        let suffix = source.split(separator: "-").last.map(String.init) ?? source
        let yaml = """
            \(sharedYAML(storageURL: try storageURL ?? backend.makeStorageURL()))
            sources:
              - { id: \(source), provider: stripe, secrets: ["\(RunningGateway.stripeSecret)"] }
            targets:
              - { id: billing-\(suffix), url: "\(sink.baseURL)/billing", signing_secret: "\(Self.targetSecret)", retry: { schedule: [0s, 1s, 1s], jitter: 0 } }
              - { id: ledger-\(suffix), url: "\(sink.baseURL)/ledger", retry: { schedule: [0s, 1s, 1s], jitter: 0 } }
              - { id: slow-\(suffix), url: "\(sink.baseURL)/slow", timeout_seconds: 5, max_in_flight: 2, retry: { schedule: [0s, 1s], jitter: 0 } }
            routes:
              - { name: payments, match: { types: ["payment.succeeded", "payment.failed"], sources: [\(source)] }, targets: [billing-\(suffix)] }
              - { name: refunds, match: { types: ["payment.refunded"], sources: [\(source)] }, targets: [ledger-\(suffix)] }
              - { name: disputes, match: { types: ["payment.disputed"], sources: [\(source)] }, targets: [slow-\(suffix), ledger-\(suffix)] }
            subscriptions:
              allow_private: \(allowPrivate)
              retry: { schedule: [0s, 1s], jitter: 0 }
            """
        return try ConfigurationLoader.parse(yaml: yaml, environment: [:])
    }

    func eventID(_ response: (status: Int, body: String, headers: HTTPHeaders)) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
        return try #require((object?["events"] as? [String])?.first)
    }

    func deliveries(_ gateway: RunningGateway, _ eventID: String) async throws -> [[String: Any]] {
        try await gateway.adminJSON("/v1/events/\(eventID)")["deliveries"] as? [[String: Any]] ?? []
    }

    /// Polls the event's deliveries until `done` holds for them, or fails after `timeout`.
    func waitForDeliveries(
        _ gateway: RunningGateway, _ eventID: String, timeout: Duration = .seconds(15), _ done: ([[String: Any]]) -> Bool
    ) async throws -> [[String: Any]] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let current = try await deliveries(gateway, eventID)
            if done(current) || ContinuousClock.now > deadline { return current }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test("a committed event is delivered at once: CloudEvent body, webhook-id, a verifiable signature", arguments: TestBackend.available)
    func delivered(backend: TestBackend) async throws {
        try await WebhookSink.with { sink in
            let source = uniqueSourceID("stripe")
            // A one-minute poll: the delivery can only be quick if the commit wakes the workers.
            try await withGateway(try configuration(backend, sink: sink, source: source), roles: Gateway.Roles(deliveryPoll: .seconds(60))) {
                gateway in
                let posted = Date()
                let trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
                let body = stripeBody()
                let signature = StripeSigner.signatureHeader(
                    body: Array(body.utf8), secret: RunningGateway.stripeSecret, timestamp: Int64(Date().timeIntervalSince1970))
                let id = try eventID(try await gateway.post(source, body: body, headers: [("Stripe-Signature", signature), ("traceparent", trace)]))
                let received = try #require(try await sink.wait(for: "/billing", count: 1).first)
                #expect(received.at.timeIntervalSince(posted) < 10, "picked up by the wake-up, not the poll")
                #expect(received.header("content-type") == "application/cloudevents+json")
                #expect(received.header("webhook-id") == id)
                #expect(received.header("user-agent")?.hasPrefix("HookGate/") == true)
                #expect(received.header("traceparent") == trace, "the provider's trace context is passed on")
                let timestamp = try #require(received.header("webhook-timestamp").flatMap { Int64($0) })
                #expect(abs(Double(timestamp) - Date().timeIntervalSince1970) < 30)
                #expect(
                    received.header("webhook-signature")
                        == WebhookSignature.header(id: id, timestamp: timestamp, body: received.body, secrets: [Self.targetSecret]))
                let event = try JSONSerialization.jsonObject(with: Data(received.body)) as? [String: Any]
                #expect(event?["id"] as? String == id)
                #expect(event?["type"] as? String == "payment.succeeded")
                #expect(event?["specversion"] as? String == "1.0")
                #expect(event?["traceparent"] as? String == trace)
                let done = try await waitForDeliveries(gateway, id) { $0.first?["status"] as? String == "succeeded" }
                #expect(done.count == 1)
                #expect(done.first?["attempts"] as? Int == 1)
                #expect(done.first?["last_status"] as? Int == 200)
                try await Task.sleep(for: .milliseconds(300))
                #expect(sink.requests("/billing").count == 1, "delivered once")
            }
        }
    }

    @Test(
        "failures are retried on the schedule with the same webhook-id; after the last attempt the delivery is dead", arguments: TestBackend.available
    )
    func retriesAndDead(backend: TestBackend) async throws {
        let behaviour: WebhookSink.Behaviour = { path, n in
            switch path {
            case "/billing": n < 3 ? .init(status: .internalServerError) : .init()
            case "/ledger": n <= 3 ? .init(status: .serviceUnavailable) : .init()  // recovers after the schedule is spent
            default: .init()
            }
        }
        try await WebhookSink.with(behaviour: behaviour) { sink in
            let source = uniqueSourceID("stripe")
            try await withGateway(try configuration(backend, sink: sink, source: source)) { gateway in
                let paid = try eventID(try await gateway.postSignedStripe(source, body: stripeBody()))
                let refunded = try eventID(try await gateway.postSignedStripe(source, body: stripeBody(type: "charge.refunded")))
                let billing = try await sink.wait(for: "/billing", count: 3)
                #expect(billing.allSatisfy { $0.header("webhook-id") == paid })
                #expect(billing[1].at.timeIntervalSince(billing[0].at) >= 0.9, "the schedule's 1 s before the second attempt")
                let succeeded = try await waitForDeliveries(gateway, paid) { $0.first?["status"] as? String == "succeeded" }
                #expect(succeeded.first?["attempts"] as? Int == 3)
                let dead = try await waitForDeliveries(gateway, refunded) { $0.first?["status"] as? String == "dead" }
                #expect(dead.first?["status"] as? String == "dead")
                #expect(dead.first?["attempts"] as? Int == 3)
                #expect(dead.first?["last_status"] as? Int == 503)
                #expect(sink.requests("/ledger").count == 3)
                // Every attempt is listed with its outcome.
                let deliveryID = try #require(dead.first?["id"] as? String)
                let detail = try await gateway.adminJSON("/v1/deliveries/\(deliveryID)")
                #expect(detail["event_id"] as? String == refunded)
                #expect(detail["next_attempt"] == nil, "a dead delivery has no next attempt")
                let attempts = try #require(detail["attempts"] as? [[String: Any]])
                #expect(attempts.map { $0["number"] as? Int } == [1, 2, 3])
                #expect(attempts.allSatisfy { $0["status_code"] as? Int == 503 && ($0["response_snippet"] as? String)?.contains("503") == true })
                // The sink answers at once: each attempt takes far less than the 10 s timeout, and they start in order.
                #expect(attempts.allSatisfy { ($0["duration_ms"] as? Int).map { $0 < 2_000 } == true }, "\(attempts)")
                let starts = attempts.compactMap { ($0["started_at"] as? String).flatMap(Timestamp.parse) }
                #expect(starts.count == 3 && zip(starts, starts.dropFirst()).allSatisfy { $0 < $1 }, "\(attempts)")

                // Destinations show the damage: the ledger's dead delivery and its last failure, billing's last success.
                let destinations = try #require(try await gateway.adminJSON("/v1/destinations")["data"] as? [[String: Any]])
                let ledgerHealth = try #require(destinations.first { ($0["name"] as? String)?.hasPrefix("target:ledger") == true })
                #expect(ledgerHealth["dead"] as? Int == 1)
                #expect(ledgerHealth["last_failure_at"] is String)
                #expect(ledgerHealth["circuit"] as? String == "closed", "three failures, under the threshold of five, then nothing more")
                let billingHealth = try #require(destinations.first { ($0["name"] as? String)?.hasPrefix("target:billing") == true })
                #expect(billingHealth["last_success_at"] is String)
                #expect(billingHealth["pending"] as? Int == 0)

                // The dead ones are listed by status and destination.
                let ledgerName = try #require(dead.first?["destination"] as? String)
                let listed = try await gateway.adminJSON("/v1/deliveries?status=dead&destination=\(ledgerName)")
                #expect((listed["data"] as? [[String: Any]])?.map { $0["id"] as? String } == [deliveryID])
                #expect(try await gateway.admin("/v1/deliveries?status=lost").status == 400)
                let paged = try await gateway.adminJSON("/v1/deliveries?limit=1&since=1h")
                #expect((paged["data"] as? [Any])?.count == 1 && paged["next_cursor"] is String)

                // The target is back: replaying the dead delivery sends it again, same webhook-id, a new series.
                #expect(try await gateway.adminPost("/v1/deliveries/dlv_nope/replay", json: "{}").status == 404)
                let replay = try await gateway.adminPost("/v1/deliveries/\(deliveryID)/replay", json: "{}")
                #expect(replay.status == 202)
                let again = try await sink.wait(for: "/ledger", count: 4)
                #expect(again.last?.header("webhook-id") == refunded)
                let replayed = try await waitForDeliveries(gateway, refunded) { $0.first?["status"] as? String == "succeeded" }
                #expect(replayed.first?["attempts"] as? Int == 4)
                let history = try await gateway.adminJSON("/v1/deliveries/\(deliveryID)")["attempts"] as? [[String: Any]]
                #expect(history?.map { $0["status_code"] as? Int } == [503, 503, 503, 200], "the history is kept")
                let audit = try await gateway.adminJSON("/v1/audit")
                let entry = (audit["data"] as? [[String: Any]])?.first { $0["action"] as? String == "delivery.replay" }
                #expect(entry?["actor"] as? String == "oncall")
                #expect(entry?["target"] as? String == deliveryID)
            }
        }
    }

    @Test("a hanging destination holds only its own slots: the others are served at once", arguments: TestBackend.available)
    func isolation(backend: TestBackend) async throws {
        let behaviour: WebhookSink.Behaviour = { path, _ in path == "/slow" ? .init(delay: .seconds(10)) : .init() }
        try await WebhookSink.with(behaviour: behaviour) { sink in
            let source = uniqueSourceID("stripe")
            try await withGateway(try configuration(backend, sink: sink, source: source)) { gateway in
                for _ in 0..<6 {
                    _ = try await gateway.postSignedStripe(source, body: stripeBody(type: "charge.dispute.created"))
                }
                let lastPost = Date()
                let ledger = try await sink.wait(for: "/ledger", count: 6)
                // Blocked behind the hanging target it would wait for its 5 s timeout.
                #expect(ledger.last!.at.timeIntervalSince(lastPost) < 2.5, "not queued behind the hanging target")
                try await Task.sleep(for: .milliseconds(1_000))
                #expect(sink.requests("/slow").count == 2, "max_in_flight 2: the other four wait for a free slot")
            }
        }
    }

    @Test("subscriptions: created over the admin API, signed with their own secret; 410 disables one", arguments: TestBackend.available)
    func subscriptions(backend: TestBackend) async throws {
        let behaviour: WebhookSink.Behaviour = { path, _ in path == "/gone" ? .init(status: .gone) : .init() }
        try await WebhookSink.with(behaviour: behaviour) { sink in
            let source = uniqueSourceID("stripe")
            try await withGateway(try configuration(backend, sink: sink, source: source)) { gateway in
                let created = try await gateway.adminPost(
                    "/v1/subscriptions",
                    json: #"{"url":"\#(sink.baseURL)/sub","types":["payment.*"],"sources":["\#(source)"],"description":"fraud team"}"#)
                #expect(created.status == 201)
                let subscription = try #require(try JSONSerialization.jsonObject(with: Data(created.body.utf8)) as? [String: Any])
                let secret = try #require(subscription["secret"] as? String)
                #expect(secret.hasPrefix("whsec_"))
                let gone = try await gateway.adminPost(
                    "/v1/subscriptions", json: #"{"url":"\#(sink.baseURL)/gone","types":["*"],"sources":["\#(source)"]}"#)
                #expect(gone.status == 201)
                let goneID = try #require((try JSONSerialization.jsonObject(with: Data(gone.body.utf8)) as? [String: Any])?["id"] as? String)

                let id = try eventID(try await gateway.postSignedStripe(source, body: stripeBody()))
                let received = try #require(try await sink.wait(for: "/sub", count: 1).first)
                #expect(received.header("webhook-id") == id)
                let timestamp = try #require(received.header("webhook-timestamp").flatMap { Int64($0) })
                #expect(
                    received.header("webhook-signature")
                        == WebhookSignature.header(id: id, timestamp: timestamp, body: received.body, secrets: [secret]))
                _ = try await sink.wait(for: "/gone", count: 1)
                let states = try await waitForDeliveries(gateway, id) { deliveries in
                    deliveries.count == 3 && deliveries.allSatisfy { ["succeeded", "cancelled"].contains($0["status"] as? String) }
                }
                #expect(states.first { $0["destination"] as? String == "subscription:\(goneID)" }?["status"] as? String == "cancelled")
                // The worker disables the subscription, then reloads its destinations, right after recording the
                // 410's outcome, not in the same transaction: wait for both rather than race them.
                var disabled: [String: Any]?
                let deadline = ContinuousClock.now + .seconds(10)
                repeat {
                    let listed = try await gateway.adminJSON("/v1/subscriptions")
                    disabled = (listed["data"] as? [[String: Any]])?.first { $0["id"] as? String == goneID }
                    let served = try await gateway.adminJSON("/v1/destinations")["data"] as? [[String: Any]] ?? []
                    if disabled?["status"] as? String == "disabled" && !served.contains(where: { $0["name"] as? String == "subscription:\(goneID)" })
                    {
                        break
                    }
                    try await Task.sleep(for: .milliseconds(50))
                } while ContinuousClock.now < deadline
                #expect(disabled?["status"] as? String == "disabled")
                #expect(disabled?["secret"] == nil, "secrets are shown once, at creation")

                // A disabled subscription gets nothing more.
                _ = try await gateway.postSignedStripe(source, body: stripeBody())
                _ = try await sink.wait(for: "/sub", count: 2)
                #expect(sink.requests("/gone").count == 1)

                // The owner fixes the endpoint and re-enables it; a test send checks the signature end to end.
                let goneSecret = try #require((try JSONSerialization.jsonObject(with: Data(gone.body.utf8)) as? [String: Any])?["secret"] as? String)
                #expect(
                    try await gateway.adminPost("/v1/subscriptions/\(goneID)/test", json: "").status == 409, "a disabled subscription is not tested")
                let patch = #"{"status":"active","url":"\#(sink.baseURL)/back","description":"fixed"}"#
                #expect(
                    try await gateway.adminPost("/v1/subscriptions/\(goneID)", json: patch, token: RunningGateway.viewerToken, method: .PATCH).status
                        == 403)
                #expect(try await gateway.adminPost("/v1/subscriptions/sub_missing", json: patch, method: .PATCH).status == 404)
                let misspelt = try await gateway.adminPost("/v1/subscriptions/\(goneID)", json: #"{"stauts":"active"}"#, method: .PATCH)
                #expect(misspelt.status == 400 && misspelt.body.contains("stauts"))
                let patched = try await gateway.adminPost("/v1/subscriptions/\(goneID)", json: patch, method: .PATCH)
                #expect(patched.status == 200)
                let patchedObject = try #require(try JSONSerialization.jsonObject(with: Data(patched.body.utf8)) as? [String: Any])
                #expect(patchedObject["status"] as? String == "active" && patchedObject["url"] as? String == "\(sink.baseURL)/back")
                #expect(patchedObject["description"] as? String == "fixed" && patchedObject["disabled_reason"] is NSNull)
                let tested = try await gateway.adminPost("/v1/subscriptions/\(goneID)/test", json: "")
                #expect(tested.status == 202)
                let testEventID = try #require(
                    (try JSONSerialization.jsonObject(with: Data(tested.body.utf8)) as? [String: Any])?["event_id"] as? String)
                // What was still pending for the subscription may go first: find the test event among what arrives.
                let arrival = ContinuousClock.now + .seconds(10)
                while !sink.requests("/back").contains(where: { $0.header("webhook-id") == testEventID }), ContinuousClock.now < arrival {
                    try await Task.sleep(for: .milliseconds(50))
                }
                let testDelivery = try #require(sink.requests("/back").first { $0.header("webhook-id") == testEventID })
                #expect(testDelivery.header("webhook-id") == testEventID)
                let testBody = try #require(try JSONSerialization.jsonObject(with: Data(testDelivery.body)) as? [String: Any])
                #expect(testBody["type"] as? String == "hookgate.test" && testBody["subject"] as? String == goneID)
                let testTimestamp = try #require(testDelivery.header("webhook-timestamp").flatMap { Int64($0) })
                #expect(
                    testDelivery.header("webhook-signature")
                        == WebhookSignature.header(id: testEventID, timestamp: testTimestamp, body: testDelivery.body, secrets: [goneSecret]))
                #expect(sink.requests("/sub").count == 2, "a test send goes to its subscription alone")

                // Rotation: during the overlap every delivery carries both signatures, and each verifies.
                let subscriptionID = try #require(subscription["id"] as? String)
                let rotated = try await gateway.adminPost("/v1/subscriptions/\(subscriptionID)/rotate-secret", json: "{}")
                #expect(rotated.status == 200)
                let newSecret = try #require(
                    (try JSONSerialization.jsonObject(with: Data(rotated.body.utf8)) as? [String: Any])?["secret"] as? String)
                #expect(newSecret != secret)
                let third = try eventID(try await gateway.postSignedStripe(source, body: stripeBody()))
                let rotatedDelivery = try #require(try await sink.wait(for: "/sub", count: 3).last)
                #expect(rotatedDelivery.header("webhook-id") == third)
                let signatures = try #require(rotatedDelivery.header("webhook-signature")).split(separator: " ").map(String.init)
                let rotatedTimestamp = try #require(rotatedDelivery.header("webhook-timestamp").flatMap { Int64($0) })
                #expect(signatures.count == 2)
                #expect(
                    signatures.contains(
                        WebhookSignature.header(id: third, timestamp: rotatedTimestamp, body: rotatedDelivery.body, secrets: [newSecret])))
                #expect(
                    signatures.contains(
                        WebhookSignature.header(id: third, timestamp: rotatedTimestamp, body: rotatedDelivery.body, secrets: [secret])))

                // Deleted: gone from the API, and nothing more is sent to it.
                #expect(try await gateway.admin("/v1/subscriptions/\(subscriptionID)").status == 200)
                #expect(try await gateway.admin("/v1/subscriptions/\(subscriptionID)", method: .DELETE).status == 204)
                #expect(try await gateway.admin("/v1/subscriptions/\(subscriptionID)").status == 404)
                #expect(try await gateway.admin("/v1/subscriptions/\(subscriptionID)", method: .DELETE).status == 404)
                _ = try await gateway.postSignedStripe(source, body: stripeBody())
                try await Task.sleep(for: .milliseconds(500))
                #expect(sink.requests("/sub").count == 3)
                let actions = ((try await gateway.adminJSON("/v1/audit"))["data"] as? [[String: Any]])?.compactMap { $0["action"] as? String } ?? []
                #expect(
                    actions.prefix(4) == ["subscription.delete", "subscription.rotate_secret", "subscription.test", "subscription.update"],
                    "newest first")
                #expect(actions.filter { $0 == "subscription.create" }.count == 2)
            }
        }
    }

    @Test("a refused connection is a failed attempt at once, not a wait for the timeout")
    func refused() async throws {
        // billing is 127.0.0.1:9, where nothing listens; its timeout is the default 10 s.
        try await withGateway(try testConfiguration(backend: .sqlite)) { gateway in
            let id = try eventID(try await gateway.postSignedStripe(body: stripeBody()))
            let started = ContinuousClock.now
            let states = try await waitForDeliveries(gateway, id) { $0.first?["attempts"] as? Int ?? 0 >= 1 }
            #expect(ContinuousClock.now - started < .seconds(3))
            let detail = try await gateway.adminJSON("/v1/deliveries/\(try #require(states.first?["id"] as? String))")
            let attempt = try #require((detail["attempts"] as? [[String: Any]])?.first)
            #expect(attempt["error"] as? String == "connection" && (attempt["duration_ms"] as? Int ?? .max) < 2_000, "\(attempt)")
            #expect(detail["status"] as? String == "pending", "retried on the schedule")
        }
    }

    @Test("SSRF guard: without allow_private, http is refused and an https URL on loopback is never contacted")
    func ssrf() async throws {
        try await WebhookSink.with { sink in
            let source = uniqueSourceID("stripe")
            try await withGateway(try configuration(.sqlite, sink: sink, source: source, allowPrivate: false)) { gateway in
                let http = try await gateway.adminPost("/v1/subscriptions", json: #"{"url":"\#(sink.baseURL)/sub","types":["*"]}"#)
                #expect(http.status == 400)
                #expect(http.body.contains("https"))
                for host in ["127.0.0.1", "localhost"] {
                    let created = try await gateway.adminPost(
                        "/v1/subscriptions", json: #"{"url":"https://\#(host):\#(sink.port)/sub","types":["*"]}"#)
                    #expect(created.status == 201)
                }
                let id = try eventID(try await gateway.postSignedStripe(source, body: stripeBody()))
                // Every destination, the trusted target included, has made its first attempt.
                let states = try await waitForDeliveries(gateway, id) { deliveries in
                    deliveries.count == 3 && deliveries.allSatisfy { ($0["attempts"] as? Int ?? 0) >= 1 }
                }
                let subscribed = states.filter { ($0["destination"] as? String)?.hasPrefix("subscription:") == true }
                #expect(subscribed.count == 2)
                for delivery in subscribed {
                    let detail = try await gateway.adminJSON("/v1/deliveries/\(try #require(delivery["id"] as? String))")
                    #expect((detail["attempts"] as? [[String: Any]])?.first?["error"] as? String == "blocked_address")
                }
                // Blocked attempts are failures like any other: retried on the schedule, then dead; never an HTTP status.
                #expect(subscribed.allSatisfy { ["pending", "in_flight", "dead"].contains($0["status"] as? String) }, "\(subscribed)")
                #expect(subscribed.allSatisfy { $0["last_status"] == nil || $0["last_status"] is NSNull }, "\(subscribed)")
                #expect(sink.requests("/sub").isEmpty, "a loopback address is never contacted")
                #expect(sink.requests("/billing").count == 1, "trusted targets are unaffected")
            }
        }
    }

    @Test("two instances on one PostgreSQL share the backlog: every delivery arrives exactly once", .enabled(if: TestBackend.postgresURL != nil))
    func severalInstances() async throws {
        try await WebhookSink.with { sink in
            let source = uniqueSourceID("stripe")
            let url = try TestBackend.postgres.makeStorageURL()
            let first = try configuration(.postgres, sink: sink, source: source, storageURL: url)
            let second = try configuration(.postgres, sink: sink, source: source, storageURL: url)
            try await withGateway(second) { _ in
                try await withGateway(first) { gateway in
                    var ids: Set<String> = []
                    for _ in 0..<40 { ids.insert(try eventID(try await gateway.postSignedStripe(source, body: stripeBody()))) }
                    let received = try await sink.wait(for: "/billing", count: 40)
                    try await Task.sleep(for: .milliseconds(500))
                    let webhookIDs = sink.requests("/billing").compactMap { $0.header("webhook-id") }
                    #expect(webhookIDs.count == 40 && received.count == 40)
                    #expect(Set(webhookIDs) == ids)
                }
            }
        }
    }

    @Test("an ingest-only and a delivery-only instance: new work is announced, not waited for", .enabled(if: TestBackend.postgresURL != nil))
    func splitRoles() async throws {
        try await WebhookSink.with { sink in
            let source = uniqueSourceID("stripe")
            let url = try TestBackend.postgres.makeStorageURL()
            let configuration = try configuration(.postgres, sink: sink, source: source, storageURL: url)
            // A one-minute poll: only the notification can bring the work over in time.
            try await withGateway(configuration, roles: Gateway.Roles(ingest: false, delivery: true, deliveryPoll: .seconds(60))) { _ in
                try await withGateway(configuration, roles: Gateway.Roles(ingest: true, delivery: false)) { gateway in
                    var latencies: [TimeInterval] = []
                    for index in 1...5 {
                        let posted = Date()
                        _ = try await gateway.postSignedStripe(source, body: stripeBody())
                        let received = try await sink.wait(for: "/billing", count: index)
                        latencies.append(received[index - 1].at.timeIntervalSince(posted))
                        try await Task.sleep(for: .milliseconds(Int.random(in: 50...300)))
                    }
                    print("split roles: ingest-to-delivery latencies \(latencies.map { Int($0 * 1_000) }) ms")
                    #expect(latencies.allSatisfy { $0 < 10 }, "the delivery-only instance is notified of new work")
                }
            }
        }
    }
}
