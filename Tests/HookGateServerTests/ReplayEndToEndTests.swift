import Foundation
import HTTPTypes
import HookGateCore
import HookGateServer
import HookGateTesting
import NIOHTTP1
import Synchronization
import Testing

/// Bulk replay end to end (DESIGN.md §8): a target that was down leaves dead deliveries; once it is back, a replay
/// sends each once, with its original `webhook-id`, at the target's pace and behind live traffic.
@Suite("Bulk replay end to end")
struct ReplayEndToEndTests {
    static let rate = 4

    func configuration(_ backend: TestBackend, sink: WebhookSink, source: String) throws -> HookGateConfiguration {
        let yaml = """
            \(sharedYAML(storageURL: try backend.makeStorageURL()))
            sources:
              - { id: \(source), provider: stripe, secrets: ["\(RunningGateway.stripeSecret)"] }
            targets:
              - { id: billing, url: "\(sink.baseURL)/billing", max_in_flight: 2, replay_rate: \(Self.rate), retry: { schedule: [0s], jitter: 0 } }
            routes:
              - { name: payments, match: { types: ["payment.*"] }, targets: [billing] }
            subscriptions:
              allow_private: true
            """
        return try ConfigurationLoader.parse(yaml: yaml, environment: [:])
    }

    func object(_ body: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
    }

    /// Polls the admin API until `done` holds for the JSON at `path`, or the timeout passes.
    func poll(
        _ gateway: RunningGateway, _ path: String, timeout: Duration = .seconds(20), until done: ([String: Any]) -> Bool
    ) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let current = try await gateway.adminJSON(path)
            if done(current) || ContinuousClock.now > deadline { return current }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// While "down", every other request fails: half the deliveries die, and the failures never come five in a
    /// row, which would open the circuit and hold the rest back for its 30 s cool-down.
    static func flaky(until recovered: Recovery) -> WebhookSink.Behaviour {
        { _, n in WebhookSink.Answer(status: recovered.isDone || n % 2 == 0 ? .ok : .serviceUnavailable) }
    }

    /// Flipped once the target is back.
    final class Recovery: Sendable {
        private let flag = Atomic<Bool>(false)
        var isDone: Bool { flag.load(ordering: .relaxed) }
        func recover() { flag.store(true, ordering: .relaxed) }
    }

    /// Posts `2 × count` events one at a time; returns the ids of the `count` whose delivery died.
    func makeDead(_ count: Int, gateway: RunningGateway, sink: WebhookSink, source: String) async throws -> [String] {
        for index in 0..<(2 * count) {
            _ = try await gateway.postSignedStripe(source, body: stripeBody())
            _ = try await sink.wait(for: "/billing", count: index + 1)
        }
        let dead = try await poll(gateway, "/v1/deliveries?status=dead&destination=target:billing&limit=500") {
            ($0["data"] as? [Any])?.count == count
        }
        #expect((dead["data"] as? [Any])?.count == count, "one attempt each, then dead")
        return sink.requests("/billing").enumerated().filter { $0.offset % 2 == 0 }.compactMap { $0.element.header("webhook-id") }
    }

    /// Checks that each of `eventIDs` arrived once, at the replay rate.
    ///
    /// The pacer bounds when attempts *start* (its window is exact; ReplayPacerTests); arrivals at the sink add the
    /// network's and a loaded machine's jitter, so they are checked with slack: unpaced, `rate + 1` arrivals come
    /// within a few milliseconds, and the whole replay takes no time at all.
    func expectPaced(_ replayed: [WebhookSink.Received], eventIDs: [String]) {
        #expect(replayed.compactMap { $0.header("webhook-id") }.sorted() == eventIDs.sorted(), "each once, with its original webhook-id")
        let arrivals = replayed.map(\.at)
        for index in arrivals.indices.dropLast(Self.rate) {
            #expect(arrivals[index + Self.rate].timeIntervalSince(arrivals[index]) > 0.5, "at most \(Self.rate) in any second")
        }
        if let first = arrivals.first, let last = arrivals.last {
            let seconds = Double((arrivals.count - 1) / Self.rate)
            #expect(last.timeIntervalSince(first) > seconds - 0.4, "\(arrivals.count) at \(Self.rate)/s take at least \(seconds) s")
        }
    }

    @Test(
        "dead deliveries: a dry run only counts; a replay sends each once, paced, after live traffic; cancel puts back the rest",
        arguments: TestBackend.available)
    func replay(backend: TestBackend) async throws {
        let recovered = Recovery()
        try await WebhookSink.with(behaviour: Self.flaky(until: recovered)) { sink in
            let source = uniqueSourceID("stripe")
            try await withGateway(try configuration(backend, sink: sink, source: source)) { gateway in
                let count = 10
                let eventIDs = try await makeDead(count, gateway: gateway, sink: sink, source: source)
                recovered.recover()
                let failedAttempts = sink.requests("/billing").count

                // Bad requests say what was wrong; viewers and strangers may not replay.
                let empty = try await gateway.adminPost("/v1/replays", json: #"{"filter":{}}"#)
                #expect(empty.status == 400 && empty.body.contains("at least one"))
                let typo = try await gateway.adminPost("/v1/replays", json: #"{"filter":{"status":"dead","destinaton":"target:billing"}}"#)
                #expect(typo.status == 400 && typo.body.contains("destinaton"))
                let unknown = try await gateway.adminPost("/v1/replays", json: #"{"filter":{"destination":"target:nope"}}"#)
                #expect(unknown.status == 400 && unknown.body.contains("target:nope"))
                #expect(try await gateway.adminPost("/v1/replays", json: #"{"filter":{"status":"in_flight"}}"#).status == 400)
                #expect(
                    try await gateway.adminPost("/v1/replays", json: #"{"filter":{"status":"dead"}}"#, token: RunningGateway.viewerToken).status
                        == 403)
                #expect(try await gateway.adminPost("/v1/replays", json: #"{"filter":{"status":"dead"}}"#, token: nil).status == 401)

                let filter = #"{"status":"dead","destination":"target:billing","since":"1h"}"#
                let dry = try await gateway.adminPost("/v1/replays", json: #"{"filter":\#(filter),"dry_run":true}"#)
                #expect(dry.status == 200)
                #expect(try object(dry.body)["matched"] as? Int == count && object(dry.body)["queued"] as? Int == 0)
                try await Task.sleep(for: .milliseconds(500))
                #expect(sink.requests("/billing").count == failedAttempts, "a dry run sends nothing")

                let created = try await gateway.adminPost("/v1/replays", json: #"{"filter":\#(filter)}"#)
                #expect(created.status == 202)
                let replayID = try #require(try object(created.body)["id"] as? String)
                #expect(try object(created.body)["matched"] as? Int == count && object(created.body)["queued"] as? Int == count)
                #expect(created.headers["location"].first == "/v1/replays/\(replayID)")
                // Live traffic posted after the replay started is not queued behind it.
                let liveResponse = try await gateway.postSignedStripe(source, body: stripeBody())
                let liveID = try #require((try object(liveResponse.body)["events"] as? [String])?.first)

                let progress = try await poll(gateway, "/v1/replays/\(replayID)") { $0["state"] as? String == "completed" }
                #expect(progress["state"] as? String == "completed")
                #expect(progress["succeeded"] as? Int == count && progress["failed"] as? Int == 0 && progress["queued"] as? Int == 0)
                #expect((progress["filter"] as? [String: Any])?["destination"] as? String == "target:billing")
                #expect(progress["created_by"] as? String == "oncall")

                let sent = sink.requests("/billing").dropFirst(failedAttempts)
                expectPaced(sent.filter { $0.header("webhook-id") != liveID }, eventIDs: eventIDs)
                let livePosition = try #require(sent.firstIndex { $0.header("webhook-id") == liveID })
                #expect(livePosition - sent.startIndex < count / 2, "live traffic went ahead of the replay")

                // A second replay, cancelled at once: what was not sent yet is put back.
                let again = try await gateway.adminPost("/v1/replays", json: #"{"filter":{"status":"succeeded","destination":"target:billing"}}"#)
                let againID = try #require(try object(again.body)["id"] as? String)
                #expect(try await gateway.admin("/v1/replays/\(againID)", method: .DELETE).status == 204)
                // Attempts already under way finish; then nothing more goes out.
                let cancelled = try await poll(gateway, "/v1/replays/\(againID)") { $0["queued"] as? Int == 0 }
                let before = sink.requests("/billing").count
                #expect(cancelled["state"] as? String == "cancelled")
                let cancelledCount = try #require(cancelled["cancelled"] as? Int)
                #expect(cancelledCount >= 2 * count + 1 - Self.rate && cancelledCount <= 2 * count + 1)
                try await Task.sleep(for: .milliseconds(1_500))
                #expect(sink.requests("/billing").count == before, "nothing more is sent after the cancel")
                #expect(try await gateway.admin("/v1/replays/rpl_missing").status == 404)
                #expect(try await gateway.admin("/v1/replays/\(againID)", token: RunningGateway.viewerToken, method: .DELETE).status == 403)

                let audit = try await gateway.adminJSON("/v1/audit")
                let entries = try #require(audit["data"] as? [[String: Any]])
                #expect(entries.prefix(3).compactMap { $0["action"] as? String } == ["replay.cancel", "replay.create", "replay.create"])
                #expect(entries.contains { ($0["target"] as? String) == replayID && ($0["actor"] as? String) == "oncall" })
            }
        }
    }

    @Test("redeliver: to what the routes and subscriptions select now, or to the destinations named", arguments: TestBackend.available)
    func redeliver(backend: TestBackend) async throws {
        try await WebhookSink.with { sink in
            let source = uniqueSourceID("stripe")
            try await withGateway(try configuration(backend, sink: sink, source: source)) { gateway in
                let posted = try await gateway.postSignedStripe(source, body: stripeBody())
                let eventID = try #require((try object(posted.body)["events"] as? [String])?.first)
                _ = try await sink.wait(for: "/billing", count: 1)
                // The sink has it, but the outcome commits a moment later; until then a redelivery finds it in flight.
                _ = try await poll(gateway, "/v1/events/\(eventID)") { event in
                    ((event["deliveries"] as? [[String: Any]])?.first?["status"] as? String) == "succeeded"
                }
                // A subscription made after the event: redelivering by the current routes includes it.
                let created = try await gateway.adminPost("/v1/subscriptions", json: #"{"url":"\#(sink.baseURL)/late","types":["payment.*"]}"#)
                let subscriptionID = try #require(try object(created.body)["id"] as? String)

                let again = try await gateway.adminPost("/v1/events/\(eventID)/redeliver", json: "")
                #expect(again.status == 202)
                let results = try #require(try object(again.body)["deliveries"] as? [[String: Any]])
                #expect(results.compactMap { $0["destination"] as? String } == ["target:billing", "subscription:\(subscriptionID)"])
                #expect(results.compactMap { $0["result"] as? String } == ["queued", "created"])
                #expect(try await sink.wait(for: "/billing", count: 2).allSatisfy { $0.header("webhook-id") == eventID })
                #expect(try await sink.wait(for: "/late", count: 1).first?.header("webhook-id") == eventID)
                // Its outcome recorded: a redelivery while the attempt is under way would leave it alone (in_flight).
                let billingID = try #require(results.first?["id"] as? String)
                _ = try await poll(gateway, "/v1/deliveries/\(billingID)") {
                    $0["status"] as? String == "succeeded" && ($0["attempts"] as? [Any])?.count == 2
                }

                let named = try await gateway.adminPost("/v1/events/\(eventID)/redeliver", json: #"{"targets":["billing"]}"#)
                #expect(named.status == 202)
                #expect((try object(named.body)["deliveries"] as? [[String: Any]])?.count == 1)
                _ = try await sink.wait(for: "/billing", count: 3)
                try await Task.sleep(for: .milliseconds(300))
                #expect(sink.requests("/late").count == 1, "only the destinations named")
                let detail = try await poll(gateway, "/v1/deliveries/\(billingID)") { ($0["attempts"] as? [Any])?.count == 3 }
                #expect((detail["attempts"] as? [Any])?.count == 3, "one delivery, its history kept")

                let unknown = try await gateway.adminPost("/v1/events/\(eventID)/redeliver", json: #"{"targets":["target:nope"]}"#)
                #expect(unknown.status == 400 && unknown.body.contains("target:nope"))
                #expect(try await gateway.adminPost("/v1/events/\(eventID)/redeliver", json: #"{"targets":[]}"#).status == 400)
                #expect(try await gateway.adminPost("/v1/events/\(eventID)/redeliver", json: #"{"target":["billing"]}"#).status == 400)
                #expect(try await gateway.adminPost("/v1/events/evt_missing/redeliver", json: "").status == 404)
                #expect(try await gateway.adminPost("/v1/events/\(eventID)/redeliver", json: "", token: RunningGateway.viewerToken).status == 403)
                let actions = try #require(try await gateway.adminJSON("/v1/audit")["data"] as? [[String: Any]]).compactMap {
                    $0["action"] as? String
                }
                #expect(actions.prefix(2) == ["event.redeliver", "event.redeliver"])
            }
        }
    }

    @Test(
        "the CLI: replay --dry-run counts, replay sends each once at the pace with progress, and the on-call verbs", arguments: TestBackend.available)
    func cli(backend: TestBackend) async throws {
        let recovered = Recovery()
        try await WebhookSink.with(behaviour: Self.flaky(until: recovered)) { sink in
            let source = uniqueSourceID("stripe")
            try await withGateway(try configuration(backend, sink: sink, source: source)) { gateway in
                func hookgate(_ arguments: String..., token: String? = RunningGateway.adminToken) async throws -> CLI.Result {
                    try await CLI.run(arguments, adminURL: gateway.adminURL, token: token)
                }
                let eventIDs = try await makeDead(6, gateway: gateway, sink: sink, source: source)
                recovered.recover()
                let failedAttempts = sink.requests("/billing").count

                let health = try await hookgate("destinations")
                #expect(health.status == 0 && health.stdout.contains("target:billing") && health.stdout.contains("DEAD"))
                let listed = try await hookgate("deliveries", "list", "--status", "dead")
                #expect(
                    listed.status == 0 && listed.stdout.hasPrefix("ID") && listed.stdout.split(separator: "\n").count == 7,
                    "a header and six rows: \(listed.stdout)\(listed.stderr)")
                let dry = try await hookgate("replay", "--status", "dead", "--destination", "target:billing", "--dry-run")
                #expect(dry.status == 0 && dry.stdout.contains("6 deliveries match") && dry.stdout.contains("nothing was sent"))
                try await Task.sleep(for: .milliseconds(500))
                #expect(sink.requests("/billing").count == failedAttempts, "a dry run sends nothing")

                let replay = try await hookgate("replay", "--status", "dead", "--destination", "target:billing", "--since", "1h")
                #expect(replay.status == 0, "\(replay.stderr)")
                #expect(replay.stderr.contains("6 matched, 6 queued") && replay.stderr.contains("6/6"), "progress: \(replay.stderr)")
                #expect(replay.stdout.contains("completed") && replay.stdout.contains("succeeded:"))
                expectPaced(Array(sink.requests("/billing").dropFirst(failedAttempts)), eventIDs: eventIDs)
                let audit = try await gateway.adminJSON("/v1/audit")
                let entry = try #require((audit["data"] as? [[String: Any]])?.first)
                #expect(entry["action"] as? String == "replay.create" && entry["actor"] as? String == "oncall")
                #expect((entry["detail"] as? String)?.contains("target:billing") == true || "\(entry)".contains("target:billing"))

                let again = try await hookgate("replay", "--status", "succeeded", "--destination", "target:billing", "--dry-run", "--json")
                #expect(again.status == 0 && again.object["matched"] as? Int == 12 && again.object["dry_run"] as? Bool == true)
                let byID = try await hookgate("deliveries", "list", "--json", "--limit", "1")
                let deliveryID = try #require((byID.object["data"] as? [[String: Any]])?.first?["id"] as? String)
                let shown = try await hookgate("deliveries", "show", deliveryID)
                #expect(shown.status == 0 && shown.stdout.contains("destination:") && shown.stdout.contains("STARTED"))
                let events = try await hookgate("events", "show", eventIDs[0])
                #expect(events.status == 0 && events.stdout.contains("target:billing"))
                let missing = try await hookgate("replay", "dlv_missing", deliveryID)
                #expect(missing.status == 66 && missing.stdout.contains("not_found") && missing.stdout.contains("queued"))

                // Who may do what; and a gateway that is not there.
                let anonymous = try await hookgate("events", "list", token: nil)
                #expect(anonymous.status == 77 && anonymous.stderr.contains("401"))
                let viewer = try await hookgate("replay", "--status", "dead", "--destination", "target:billing", token: RunningGateway.viewerToken)
                #expect(viewer.status == 77 && viewer.stderr.contains("403"))
                #expect(try await hookgate("events", "list", token: RunningGateway.viewerToken).status == 0)
                let typo = try await hookgate("replay", "--destination", "target:nope")
                #expect(typo.status == 65 && typo.stderr.contains("target:nope"))
                let nowhere = try await CLI.run(["events", "list"], adminURL: "http://127.0.0.1:1", token: RunningGateway.adminToken)
                #expect(nowhere.status == 69 && nowhere.stderr.contains("cannot reach"))

                // Subscriptions from the CLI: create, list, test (signed, delivered), rotate, delete.
                let created = try await hookgate("subscriptions", "create", "--url", "\(sink.baseURL)/cli", "--type", "payment.*", "--json")
                #expect(created.status == 0)
                let subscriptionID = try #require(created.object["id"] as? String)
                #expect((created.object["secret"] as? String)?.hasPrefix("whsec_") == true)
                #expect(try await hookgate("subscriptions", "list").stdout.contains(subscriptionID))
                let tested = try await hookgate("subscriptions", "test", subscriptionID)
                #expect(
                    tested.status == 0 && tested.stdout.contains("succeeded") && tested.stdout.contains("200"), "\(tested.stdout)\(tested.stderr)")
                #expect(sink.requests("/cli").count == 1)
                let rotated = try await hookgate("subscriptions", "rotate-secret", subscriptionID)
                #expect(rotated.status == 0 && rotated.stdout.contains("whsec_") && rotated.stdout.contains("old secret signs until"))
                #expect(try await hookgate("subscriptions", "delete", subscriptionID).stdout == "deleted \(subscriptionID)\n")
                #expect(try await hookgate("subscriptions", "delete", subscriptionID).status == 66)
            }
        }
    }
}
