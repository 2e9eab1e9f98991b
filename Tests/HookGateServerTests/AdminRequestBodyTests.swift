import Foundation
import HTTPTypes
import Testing

@testable import HookGateServer

/// The admin request types decode strictly: each wrong body gets the one message that names what was wrong, the same
/// on every endpoint (DESIGN.md §8: admin API errors say what was wrong).
@Suite("Admin request bodies")
struct AdminRequestBodyTests {
    private func refusal<Body: AdminRequestBody>(_ type: Body.Type, _ json: String) -> String? {
        do {
            _ = try JSONDecoder().decode(type, from: Data(json.utf8))
            return nil
        } catch let error as AdminError {
            return error.status == .badRequest ? error.detail : "status \(error.status.code): \(error.detail)"
        } catch {
            return "not an admin error: \(error)"
        }
    }

    @Test("subscriptions: unknown members, wrong types and control characters are refused by name")
    func subscriptions() {
        let create = #""description", "sources", "types", "url""#
        #expect(
            refusal(SubscriptionCreateRequest.self, #"{"url":"https://a.example","types":["a.b"],"status":"active"}"#)
                == #"the body has an unknown member "status"; it may have \#(create)"#)
        #expect(refusal(SubscriptionCreateRequest.self, "[1]") == "the body must be a JSON object with \(create)")
        #expect(refusal(SubscriptionCreateRequest.self, #"{"url":1,"types":["a.b"]}"#) == "url must be a string")
        #expect(refusal(SubscriptionCreateRequest.self, #"{"url":"https://a.example","types":"a.b"}"#) == "types must be a list of strings")
        #expect(refusal(SubscriptionCreateRequest.self, #"{"url":"https://a.example","types":["a.b", 2]}"#) == "types must be a list of strings")
        #expect(
            refusal(SubscriptionCreateRequest.self, #"{"url":"https://a.example\u0000.evil","types":["a.b"]}"#)
                == "url must not contain control characters (NUL, newline, escape, …)")
        #expect(refusal(SubscriptionUpdateRequest.self, #"{"status":"active"}"#) == nil, "a PATCH may set status")
    }

    @Test("a PATCH tells a member left out from one given as null")
    func patchNulls() throws {
        let cleared = try JSONDecoder().decode(SubscriptionUpdateRequest.self, from: Data(#"{"sources":null,"description":null}"#.utf8)).change
        #expect(cleared.sources == .some(nil) && cleared.description == .some(nil) && cleared.url == nil)
        #expect(cleared.given == ["description", "sources"])
        let untouched = try JSONDecoder().decode(SubscriptionUpdateRequest.self, from: Data(#"{"types":["order.*"]}"#.utf8)).change
        #expect(untouched.sources == nil && untouched.description == nil && untouched.types == ["order.*"])
    }

    @Test("replays and redelivery: a misspelt filter member, a non-boolean dry_run and a non-list of targets are refused")
    func replays() throws {
        let filter = #""destination", "since", "source", "status", "type", "until""#
        #expect(refusal(ReplayRequest.self, #"{"filter":{"stauts":"dead"}}"#) == #"filter has an unknown member "stauts"; it may have \#(filter)"#)
        #expect(refusal(ReplayRequest.self, #"{"filter":["dead"]}"#) == "filter must be a JSON object with \(filter)")
        #expect(refusal(ReplayRequest.self, #"{"filter":{"status":"dead"},"dry_run":1}"#) == "dry_run must be true or false")
        #expect(refusal(ReplayRequest.self, #"{"filter":{"status":"dead"},"dry_run":"true"}"#) == "dry_run must be true or false")
        #expect(
            refusal(ReplayRequest.self, #"{"filter":{"status":"dead"}, "limit":5}"#)
                == #"the body has an unknown member "limit"; it may have "dry_run", "filter""#)
        let replay = try JSONDecoder().decode(ReplayRequest.self, from: Data(#"{"filter":{"type":"payment.*","status":"dead"},"dry_run":true}"#.utf8))
        #expect(replay.dryRun && replay.filter?.given.map(\.name) == ["status", "type"])
        #expect(refusal(RedeliverRequest.self, #"{"targets":"billing"}"#) == "targets must be a list of strings")
        #expect(refusal(RedeliverRequest.self, "{}") == nil)
    }
}
