import Foundation
import HookGateTesting
import NIOHTTP1
import Testing

/// `POST /v1/erasures` and `GET /v1/erasures/{id}` over real sockets (DESIGN.md §13): a signed webhook naming a
/// customer, erased by email, leaves no trace of the email in the event, the receipt or the audit log.
@Suite("Erasure API")
struct ErasureAPITests {
    func json(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    @Test("an erasure by email redacts the event, empties the receipt and cancels what is undelivered", arguments: TestBackend.available)
    func erasesByEmail(backend: TestBackend) async throws {
        let source = uniqueSourceID("stripe")
        try await withGateway(try testConfiguration(backend: backend, source: source)) { gateway in
            let unique = UUID().uuidString.prefix(8).lowercased()
            let email = "ana.\(unique)@example.com"
            let body =
                #"{"id":"evt_\#(unique)","object":"event","created":1763720100,"type":"customer.created","data":{"object":{"id":"cus_\#(unique)","object":"customer","email":"Ana.\#(unique)@Example.com","name":"Ana"}}}"#
            let posted = try await gateway.postSignedStripe(source, body: body)
            #expect(posted.status == 200)
            let event = try #require((json(posted.body)["events"] as? [String])?.first)
            let other = try await gateway.postSignedStripe(source, body: stripeBody())
            let otherEvent = try #require((json(other.body)["events"] as? [String])?.first)

            let started = try await gateway.adminPost(
                "/v1/erasures", json: #"{"customer":{"email":"\#(email.uppercased())"},"sources":["\#(source)"]}"#)
            #expect(started.status == 202, "\(started.body)")
            let id = try #require(json(started.body)["id"] as? String)
            #expect(json(started.body)["state"] as? String == "running" && started.headers.first(name: "Location") == "/v1/erasures/\(id)")
            #expect(!started.body.lowercased().contains(email))

            let deadline = ContinuousClock.now + .seconds(20)
            var progress = try await gateway.adminJSON("/v1/erasures/\(id)")
            while progress["state"] as? String == "running" && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                progress = try await gateway.adminJSON("/v1/erasures/\(id)")
            }
            #expect(progress["state"] as? String == "done", "\(progress)")
            #expect(progress["events"] as? Int == 1 && progress["receipts"] as? Int == 1 && progress["scanned"] as? Int == 2, "\(progress)")
            #expect(progress["deliveries_cancelled"] as? Int == 2, "crm and billing do not listen: neither was delivered")
            #expect(progress["scope"] as? String == "customer email in \(source)")

            let erased = try await gateway.adminJSON("/v1/events/\(event)")
            #expect((erased["data"] as? [String: Any])?["redacted"] as? Bool == true && erased["type"] as? String == "customer.created", "\(erased)")
            let statuses = (erased["deliveries"] as? [[String: Any]] ?? []).compactMap { $0["status"] as? String }
            #expect(statuses == ["cancelled", "cancelled"], "pending or in flight, both cancelled: \(statuses)")
            let receipt = try await gateway.adminJSON("/v1/events/\(event)/receipt")
            #expect(receipt["body"] as? String == "" && (receipt["headers"] as? [String: Any])?.isEmpty == true, "\(receipt)")
            let untouched = try await gateway.adminJSON("/v1/events/\(otherEvent)")
            #expect((untouched["data"] as? [String: Any])?["redacted"] == nil, "another customer's event is left as it was")
            let audit = try await gateway.admin("/v1/audit")
            #expect(audit.body.contains(id) && audit.body.contains("erasure.create") && !audit.body.lowercased().contains(email))
            #expect(try await gateway.admin("/v1/erasures").body.contains(id))
        }
    }

    @Test("hookgate erase: progress on stderr, a summary without the values, --json for scripts", arguments: TestBackend.available)
    func cli(backend: TestBackend) async throws {
        let source = uniqueSourceID("stripe")
        try await withGateway(try testConfiguration(backend: backend, source: source)) { gateway in
            let unique = UUID().uuidString.prefix(8).lowercased()
            let body =
                #"{"id":"evt_\#(unique)","object":"event","created":1763720100,"type":"customer.created","data":{"object":{"id":"cus_\#(unique)","object":"customer","email":"b.\#(unique)@example.com","phone":"+14155550142"}}}"#
            #expect(try await gateway.postSignedStripe(source, body: body).status == 200)
            let erased = try await CLI.run(
                ["erase", "--phone", "+1 (415) 555-0142", "--customer-id", "cus_\(unique)", "--source", source], adminURL: gateway.adminURL,
                token: RunningGateway.adminToken)
            #expect(erased.status == 0, "\(erased.stderr)")
            #expect(erased.stderr.contains("looking at 1 events") && erased.stderr.contains("1/1"), "progress: \(erased.stderr)")
            #expect(erased.stdout.contains("state:") && erased.stdout.contains("done") && erased.stdout.contains("customer id, phone in \(source)"))
            #expect(!erased.stdout.contains("555") && !erased.stderr.contains("555"), "the values are not echoed")
            let again = try await CLI.run(
                ["erase", "--customer-email", "nobody@example.com", "--source", source, "--json"], adminURL: gateway.adminURL,
                token: RunningGateway.adminToken)
            #expect(again.status == 0 && again.object["state"] as? String == "done" && again.object["events"] as? Int == 0, "\(again.stdout)")
            let refused = try await CLI.run(["erase", "--phone", "555-0142"], adminURL: gateway.adminURL, token: RunningGateway.adminToken)
            #expect(refused.status != 0 && refused.stderr.contains("customer.phone"), "\(refused.stdout)\(refused.stderr)")
        }
    }

    @Test("bad requests say what was wrong; a viewer may follow but not start; an unknown id is 404", arguments: TestBackend.available)
    func refusals(backend: TestBackend) async throws {
        let source = uniqueSourceID("stripe")
        try await withGateway(try testConfiguration(backend: backend, source: source)) { gateway in
            let cases: [(String, String)] = [
                (#"{"customer":{"phone":"555-0100"}}"#, "customer.phone"),
                (#"{"customer":{}}"#, "at least one of"),
                (#"{"sources":["\#(source)"]}"#, "customer is required"),
                (#"{"customer":{"email":"a@example.com"},"sources":["nope"]}"#, "is not a configured source"),
                (#"{"customer":{"email":"a@example.com"},"sources":[]}"#, "at least one source"),
                (#"{"customer":{"email":"a@example.com","name":"Ana"}}"#, "name"),
            ]
            for (body, says) in cases {
                let answer = try await gateway.adminPost("/v1/erasures", json: body)
                #expect(answer.status == 400 && answer.body.contains(says), "\(body) → \(answer.status) \(answer.body)")
            }
            let viewer = try await gateway.adminPost(
                "/v1/erasures", json: #"{"customer":{"email":"a@example.com"}}"#, token: RunningGateway.viewerToken)
            #expect(viewer.status == 403)
            #expect(try await gateway.admin("/v1/erasures/era_none").status == 404)
            #expect(try await gateway.admin("/v1/erasures", token: RunningGateway.viewerToken).status == 200)
            // The retention screen's data: the settings (the defaults here), and no pass yet a moment after start.
            let retention = try await gateway.adminJSON("/v1/retention")
            #expect(retention["receipt_bodies_seconds"] as? Int == 30 * 86_400 && retention["events_seconds"] as? Int == 90 * 86_400)
            #expect(retention["audit_seconds"] as? Int == 400 * 86_400 && retention["last_prune"] is NSNull, "\(retention)")
        }
    }
}
