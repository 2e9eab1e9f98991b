import Foundation
import HTTPTypes
import HookGateServer
import HookGateTesting
import Testing

@testable import HookGateCore

/// Destinations that misbehave, over real sockets on 127.0.0.1: bodies that stall, trickle or never end, binary
/// answers, peers that never answer; and a retry schedule that means exactly what it says (DESIGN.md §7).
@Suite("Hostile destinations")
struct HostileDestinationTests {
    /// A gateway whose every `payment.*` event goes to each of `targets` (`id: flow-map members`), ids suffixed
    /// with the source's (tests share one PostgreSQL database).
    func configuration(
        _ backend: TestBackend, sink: WebhookSink, source: String, targets: [(id: String, members: String)], subscriptionRetry: String = "[0s, 1s]"
    ) throws -> HookGateConfiguration {
        let suffix = source.split(separator: "-").last.map(String.init) ?? source
        let yaml = """
            \(sharedYAML(storageURL: try backend.makeStorageURL()))
            sources:
              - { id: \(source), provider: stripe, secrets: ["\(RunningGateway.stripeSecret)"] }
            targets:
            \(targets.map { "  - { id: \($0.id)-\(suffix), url: \"\(sink.baseURL)/\($0.id)\", \($0.members) }" }.joined(separator: "\n"))
            routes:
              - { name: all, match: { types: ["payment.succeeded"], sources: [\(source)] }, targets: [\(targets.map { "\($0.id)-\(suffix)" }.joined(separator: ", "))] }
            subscriptions:
              allow_private: true
              retry: { schedule: \(subscriptionRetry), jitter: 0 }
            """
        return try ConfigurationLoader.parse(yaml: yaml, environment: [:])
    }

    func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func post(_ gateway: RunningGateway, _ source: String, type: String = "payment_intent.succeeded") async throws -> String {
        let response = try await gateway.postSignedStripe(source, body: stripeBody(type: type))
        #expect(response.status == 200, "\(response.body)")
        return try #require((try object(response.body)["events"] as? [String])?.first)
    }

    /// Polls `path` until `done` holds, or returns what it last read after `timeout`.
    func poll(
        _ gateway: RunningGateway, _ path: String, timeout: Duration = .seconds(20), _ done: ([String: Any]) -> Bool
    ) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let current = try await gateway.adminJSON(path)
            if done(current) || ContinuousClock.now > deadline { return current }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The event's delivery to `destination` (a target id prefix), once `done` holds for it.
    func delivery(
        _ gateway: RunningGateway, event: String, to prefix: String, timeout: Duration = .seconds(20), _ done: @escaping ([String: Any]) -> Bool
    ) async throws -> [String: Any] {
        let match = { (event: [String: Any]) -> [String: Any]? in
            (event["deliveries"] as? [[String: Any]])?.first { ($0["destination"] as? String)?.hasPrefix("target:\(prefix)-") == true }
        }
        let event = try await poll(gateway, "/v1/events/\(event)", timeout: timeout) { match($0).map(done) ?? false }
        let summary = try #require(match(event))
        return try await gateway.adminJSON("/v1/deliveries/\(try #require(summary["id"] as? String))")
    }

    func attempts(_ delivery: [String: Any]) -> [[String: Any]] {
        delivery["attempts"] as? [[String: Any]] ?? []
    }

    @Test("every attempt ends within timeout_seconds, whatever the body does after the head", arguments: TestBackend.available)
    func bodiesThatNeverEnd(backend: TestBackend) async throws {
        let behaviour: WebhookSink.Behaviour = { path, _ in
            switch path {
            // The issue's peer: a 200 head promising a megabyte, then one byte a second.
            case "/stall": .init(body: .drip(chunk: [0x61], every: .seconds(1), declaredLength: 1_000_000))
            // A failure whose chunked body trickles for ever.
            case "/trickle":
                .init(status: .serviceUnavailable, body: .drip(chunk: Array("still failing ".utf8), every: .milliseconds(50), declaredLength: nil))
            // A failure whose chunked body floods for ever: the snippet fills, and the attempt ends at once.
            case "/flood":
                .init(
                    status: .internalServerError,
                    body: .drip(chunk: [UInt8](repeating: 0x62, count: 65_536), every: .milliseconds(1), declaredLength: nil))
            default: .init()
            }
        }
        try await WebhookSink.with(behaviour: behaviour) { sink in
            let source = uniqueSourceID("stripe")
            let configuration = try configuration(
                backend, sink: sink, source: source,
                targets: [
                    ("stall", "timeout_seconds: 2, max_in_flight: 1, retry: { schedule: [0s, 1s, 1s], jitter: 0 }"),
                    ("trickle", "timeout_seconds: 1, retry: { schedule: [0s, 1s], jitter: 0 }"),
                    ("flood", "timeout_seconds: 5, retry: { schedule: [0s], jitter: 0 }"),
                ])
            try await withGateway(configuration) { gateway in
                var events: [String] = []
                for _ in 0..<3 { events.append(try await post(gateway, source)) }
                for event in events {
                    // A 2xx head is the destination taking the event: success, although the body never finished.
                    let stalled = try await delivery(gateway, event: event, to: "stall") { $0["status"] as? String == "succeeded" }
                    #expect(stalled["status"] as? String == "succeeded" && stalled["last_status"] as? Int == 200)
                    let only = try #require(attempts(stalled).first)
                    #expect(attempts(stalled).count == 1)
                    let duration = try #require(only["duration_ms"] as? Int)
                    #expect(duration >= 1_900 && duration < 3_500, "the attempt lasted its 2 s timeout: \(duration) ms")
                    #expect((only["response_snippet"] as? String)?.allSatisfy { $0 == "a" } == true)
                }
                #expect(sink.requests("/stall").count == 3, "each event sent once, none again after a lease ran out")

                let trickled = try await delivery(gateway, event: events[0], to: "trickle") { $0["status"] as? String == "dead" }
                #expect(trickled["status"] as? String == "dead" && attempts(trickled).count == 2)
                for attempt in attempts(trickled) {
                    #expect(attempt["status_code"] as? Int == 503)
                    #expect((attempt["duration_ms"] as? Int).map { $0 >= 900 && $0 < 2_500 } == true, "\(attempt)")
                    #expect((attempt["response_snippet"] as? String)?.hasPrefix("still failing") == true)
                }
                let flooded = try await delivery(gateway, event: events[0], to: "flood") { $0["status"] as? String == "dead" }
                let attempt = try #require(attempts(flooded).first)
                #expect(attempt["status_code"] as? Int == 500)
                #expect((attempt["response_snippet"] as? String)?.utf8.count == 4_096, "the snippet is capped at 4 KiB")
                #expect((attempt["duration_ms"] as? Int).map { $0 < 4_000 } == true, "a full snippet ends the attempt before the timeout")
            }
        }
    }

    @Test(
        "binary answers with NUL are recorded, and a healthy destination beside them is recorded once and sent once", arguments: TestBackend.available
    )
    func binaryAnswers(backend: TestBackend) async throws {
        let gzip: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03] + (0..<600).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        // Every other answer fails, so that the circuit never opens and each event ends up delivered.
        let behaviour: WebhookSink.Behaviour = { path, n in
            path == "/binary"
                ? .init(status: n % 2 == 1 ? .internalServerError : .ok, headers: [.contentEncoding: "gzip"], body: .bytes(gzip)) : .init()
        }
        try await WebhookSink.with(behaviour: behaviour) { sink in
            let source = uniqueSourceID("stripe")
            let configuration = try configuration(
                backend, sink: sink, source: source,
                targets: [
                    ("binary", "max_in_flight: 1, retry: { schedule: [0s, 1s, 1s, 1s, 1s, 1s, 1s, 1s], jitter: 0 }"),
                    ("healthy", "max_in_flight: 8"),
                ])
            try await withGateway(configuration) { gateway in
                var events: [String] = []
                for _ in 0..<10 { events.append(try await post(gateway, source)) }
                var failures = 0
                for event in events {
                    let healthy = try await delivery(gateway, event: event, to: "healthy") { $0["status"] as? String == "succeeded" }
                    #expect(healthy["status"] as? String == "succeeded" && attempts(healthy).count == 1)
                    let binary = try await delivery(gateway, event: event, to: "binary", timeout: .seconds(40)) {
                        $0["status"] as? String == "succeeded"
                    }
                    #expect(binary["status"] as? String == "succeeded", "\(binary)")
                    let sent = sink.requests("/binary").filter { $0.header("webhook-id") == event }.count
                    #expect(attempts(binary).count == sent, "every attempt sent is recorded, and none sent again for want of a record")
                    for attempt in attempts(binary) {
                        let snippet = try #require(attempt["response_snippet"] as? String)
                        #expect(!snippet.utf8.contains(0) && snippet.contains("\u{FFFD}") && snippet.utf8.count <= 4_096)
                        if attempt["status_code"] as? Int == 500 { failures += 1 }
                    }
                }
                #expect(failures >= 5, "half the answers were binary 500s")
                try await Task.sleep(for: .milliseconds(500))
                let healthy = sink.requests("/healthy")
                #expect(healthy.count == 10 && Set(healthy.compactMap { $0.header("webhook-id") }) == Set(events), "sent once each")
            }
        }
    }

    @Test("the schedule is the configuration: the first entry before the first attempt, no floor after a timeout", arguments: TestBackend.available)
    func exactSchedule(backend: TestBackend) async throws {
        let behaviour: WebhookSink.Behaviour = { path, _ in
            path == "/hanging" ? .init(delay: .seconds(30)) : .init()
        }
        try await WebhookSink.with(behaviour: behaviour) { sink in
            let source = uniqueSourceID("stripe")
            let suffix = source.split(separator: "-").last.map(String.init) ?? source
            let configuration = try configuration(
                backend, sink: sink, source: source,
                targets: [
                    ("delayed", "retry: { schedule: [3s, 1s], jitter: 0 }"),
                    ("hanging", "timeout_seconds: 1, retry: { schedule: [0s, 1s, 1s], jitter: 0 }"),
                ], subscriptionRetry: "[2s, 1s]")
            try await withGateway(configuration) { gateway in
                let created = try await gateway.adminPost(
                    "/v1/subscriptions", json: #"{"url":"\#(sink.baseURL)/subscribed","types":["payment.*"],"sources":["\#(source)"]}"#)
                #expect(created.status == 201)
                let posted = Date()
                let event = try await post(gateway, source)

                let first = try #require(try await sink.wait(for: "/delayed", count: 1).first)
                let wait = first.at.timeIntervalSince(posted)
                #expect(wait >= 2.95 && wait < 4.5, "the first entry, 3 s, before the first attempt: \(wait) s")
                let subscribed = try #require(try await sink.wait(for: "/subscribed", count: 1).first)
                let subscriptionWait = subscribed.at.timeIntervalSince(posted)
                #expect(subscriptionWait >= 1.95 && subscriptionWait < 3.5, "a subscription's first entry, 2 s: \(subscriptionWait) s")

                // Each attempt times out after 1 s; the next comes the schedule's 1 s later, not a minute.
                let hanging = try await sink.wait(for: "/hanging", count: 3, timeout: .seconds(15))
                let starts = try await delivery(gateway, event: event, to: "hanging") { $0["status"] as? String == "dead" }
                #expect(starts["status"] as? String == "dead" && attempts(starts).count == 3)
                // Measured on the gateway's own record of each attempt, not on arrival at the sink, which a slow
                // connect shifts: each attempt lasts the timeout, and the next starts the schedule's 1 s after it ended.
                let recorded = try attempts(starts).map { attempt -> (start: Date, seconds: Double) in
                    let formatter = ISO8601DateFormatter()
                    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
                    let start = try #require((attempt["started_at"] as? String).flatMap(formatter.date(from:)))
                    return (start, Double(try #require(attempt["duration_ms"] as? Int)) / 1000)
                }
                for (earlier, later) in zip(recorded, recorded.dropFirst()) {
                    #expect(earlier.seconds >= 0.95 && earlier.seconds < 1.5, "each attempt ends at its 1 s timeout: \(earlier.seconds) s")
                    let pause = later.start.timeIntervalSince(earlier.start) - earlier.seconds
                    #expect(pause >= 0.95 && pause < 2.0, "the next attempt the schedule's 1 s later, not a minute: \(pause) s")
                }
                #expect(hanging.count == 3)
                #expect(try #require(recorded.first).start.timeIntervalSince(posted) < 1.5, "the first entry, 0 s")

                // Redeliver is a fan-out like the first: the first entry again. Replaying one delivery is now.
                _ = try await delivery(gateway, event: event, to: "delayed") { $0["status"] as? String == "succeeded" }
                let redelivered = Date()
                let again = try await gateway.adminPost("/v1/events/\(event)/redeliver", json: #"{"targets":["target:delayed-\#(suffix)"]}"#)
                #expect(again.status == 202)
                // While it waits, its page says why: a new series' first attempt, its earlier attempt kept.
                let waiting = try await delivery(gateway, event: event, to: "delayed") { $0["status"] as? String == "pending" }
                let next = try #require(waiting["next_attempt"] as? [String: Any], "\(waiting)")
                #expect(next["reason"] as? String == "first_attempt" && (next["detail"] as? String)?.contains("new series") == true, "\(next)")
                let second = try await sink.wait(for: "/delayed", count: 2)[1]
                let redeliveryWait = second.at.timeIntervalSince(redelivered)
                #expect(redeliveryWait >= 2.95 && redeliveryWait < 4.5, "redeliver waits the first entry: \(redeliveryWait) s")
                let delayed = try await delivery(gateway, event: event, to: "delayed") {
                    ($0["attempts"] as? Int) == 2 && $0["status"] as? String == "succeeded"
                }
                let replayed = Date()
                #expect(try await gateway.adminPost("/v1/deliveries/\(try #require(delayed["id"] as? String))/replay", json: "").status == 202)
                let third = try await sink.wait(for: "/delayed", count: 3)[2]
                #expect(third.at.timeIntervalSince(replayed) < 1.5, "a replay is sent now")
            }
        }
    }
}
