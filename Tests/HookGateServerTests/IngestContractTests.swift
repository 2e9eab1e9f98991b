import AsyncHTTPClient
import Foundation
import HookGateProviders
import HookGateTesting
import NIOCore
import NIOHTTP1
import Testing

@testable import HookGateCore

/// DESIGN.md §4 over real HTTPS on 127.0.0.1, on every storage backend.
@Suite("Ingest contract over HTTPS")
struct IngestContractTests {
    static let certificate = try! DevelopmentCertificate.make()

    @Test("signed webhook: 200 once, then duplicate with the original ids", arguments: TestBackend.available)
    func storesOnceThenDuplicate(backend: TestBackend) async throws {
        let sourceID = uniqueSourceID("stripe")
        try await withGateway(try testConfiguration(backend: backend, tls: Self.certificate, source: sourceID)) { gateway in
            let body = stripeBody()
            let first = try await gateway.postSignedStripe(sourceID, body: body)
            #expect(first.status == 200)
            #expect(first.headers.first(name: "Content-Type") == "application/json")
            let accepted = try JSONSerialization.jsonObject(with: Data(first.body.utf8)) as? [String: Any]
            #expect(accepted?["status"] as? String == "accepted")
            let ids = try #require(accepted?["events"] as? [String])
            #expect(ids.count == 1 && ids[0].hasPrefix("evt_"))

            // Stripe re-sends with a fresh timestamp and signature: still the same event.
            let again = try await gateway.postSignedStripe(sourceID, body: body, timestamp: Int64(Date().timeIntervalSince1970) - 5)
            #expect(again.status == 200)
            #expect(again.body == #"{"status":"duplicate","events":["\#(ids[0])"]}"#)

            let listed = try await gateway.adminJSON("/v1/events?source=\(sourceID)")
            #expect((listed["data"] as? [[String: Any]])?.map { $0["id"] as? String } == [ids[0]])
            let event = try await gateway.adminJSON("/v1/events/\(ids[0])")
            #expect(event["type"] as? String == "payment.succeeded")
            #expect(event["source"] as? String == "hookgate/\(sourceID)")
            let deliveries = try #require(event["deliveries"] as? [[String: Any]])
            #expect(deliveries.map { $0["destination"] as? String } == ["target:billing"])
            // The workers are already trying it (the test target does not listen), so it is pending or being attempted.
            #expect(["pending", "in_flight"].contains(deliveries.first?["status"] as? String))

            let receipt = try await gateway.adminJSON("/v1/events/\(ids[0])/receipt")
            let stored = try #require((receipt["body"] as? String).flatMap { Data(base64Encoded: $0) })
            #expect(stored == Data(body.utf8), "the receipt keeps the exact bytes that arrived")
            #expect((receipt["headers"] as? [String: Any])?["stripe-signature"] != nil)
        }
    }

    @Test("rejections get exactly the documented status and body", arguments: TestBackend.available)
    func rejections(backend: TestBackend) async throws {
        let sourceID = uniqueSourceID("stripe")
        try await withGateway(try testConfiguration(backend: backend, tls: Self.certificate, source: sourceID)) { gateway in
            let body = stripeBody()
            let now = Int64(Date().timeIntervalSince1970)
            let forged = StripeSigner.signatureHeader(body: Array(body.utf8), secret: "whsec_attacker", timestamp: now)
            let cases: [(String, (status: Int, body: String, headers: HTTPHeaders))] = [
                ("forged", try await gateway.post(sourceID, body: body, headers: [("Stripe-Signature", forged)])),
                ("stale", try await gateway.postSignedStripe(sourceID, body: body, timestamp: now - 400)),
                ("future", try await gateway.postSignedStripe(sourceID, body: body, timestamp: now + 400)),
                ("missing", try await gateway.post(sourceID, body: body)),
                ("garbage header", try await gateway.post(sourceID, body: body, headers: [("Stripe-Signature", "t=x,v1=zz")])),
            ]
            for (name, response) in cases {
                #expect(response.status == 401, "\(name)")
                #expect(response.body == #"{"error":"invalid_signature"}"#, "\(name)")
            }
            let oversized = String(repeating: "x", count: 65_537)
            let tooLarge = try await gateway.postSignedStripe(sourceID, body: oversized)
            #expect(tooLarge.status == 413)
            #expect(tooLarge.body == #"{"error":"payload_too_large"}"#)
            let wrongMethod = try await gateway.post(sourceID, body: "", method: .GET)
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.body == #"{"error":"method_not_allowed"}"#)
            let unknown = try await gateway.postSignedStripe("no-such-source", body: body)
            #expect(unknown.status == 404)
            #expect(unknown.body == #"{"error":"unknown_source"}"#)
            for path in ["/healthz", "/metrics", "/v1/events", "/webhooks", "/webhooks/\(sourceID)/extra"] {
                var request = HTTPClientRequest(url: gateway.ingestURL + path)
                request.method = .GET
                let response = try await gateway.client.execute(request, timeout: .seconds(10))
                #expect(response.status.code == 404, "\(path) must not be served on the public listener")
            }
            // Nothing was stored by any of these.
            let listed = try await gateway.adminJSON("/v1/events?source=\(sourceID)")
            #expect((listed["data"] as? [Any])?.isEmpty == true)
            let metrics = try await gateway.admin("/metrics", token: nil).body
            #expect(metrics.contains(#"hookgate_verification_failures_total{source="\#(sourceID)"} 5"#))
        }
    }

    @Test("a body over the limit is refused while streaming, without Content-Length", arguments: TestBackend.available)
    func chunkedOversized(backend: TestBackend) async throws {
        try await withGateway(try testConfiguration(backend: backend, tls: Self.certificate)) { gateway in
            var request = HTTPClientRequest(url: "\(gateway.ingestURL)/webhooks/stripe")
            request.method = .POST
            request.headers.add(name: "Stripe-Signature", value: "t=1,v1=00")
            let chunk = ByteBuffer(repeating: UInt8(ascii: "a"), count: 16_384)
            let chunks = AsyncStream<ByteBuffer> { continuation in
                for _ in 0..<8 { continuation.yield(chunk) }
                continuation.finish()
            }
            request.body = .stream(chunks, length: .unknown)
            do {
                let response = try await gateway.client.execute(request, timeout: .seconds(10))
                #expect(response.status.code == 413)
            } catch {
                // The server may close the connection while the client is still sending; that is also a refusal.
                #expect(error is HTTPClientError)
            }
        }
    }

    @Test("verified but unparseable: 200 with no events, kept as an unparsed receipt", arguments: TestBackend.available)
    func unparsedIsKept(backend: TestBackend) async throws {
        let sourceID = uniqueSourceID("stripe")
        try await withGateway(try testConfiguration(backend: backend, tls: Self.certificate, source: sourceID)) { gateway in
            let response = try await gateway.postSignedStripe(sourceID, body: "this is not json {")
            #expect(response.status == 200)
            #expect(response.body == #"{"status":"accepted","events":[]}"#)
            let receipts = try await gateway.adminJSON("/v1/receipts?status=unparsed&source=\(sourceID)")
            let first = try #require((receipts["data"] as? [[String: Any]])?.first)
            #expect(first["body"] == nil && first["body_bytes"] as? Int == 18, "a listing carries no bodies, only their sizes")
            #expect(first["events"] as? [String] == [])
            let one = try await gateway.adminJSON("/v1/receipts/\(try #require(first["id"] as? String))")
            #expect((one["body"] as? String).flatMap { Data(base64Encoded: $0) } == Data("this is not json {".utf8))
            #expect(try await gateway.admin("/v1/receipts/rcp_missing").status == 404)
        }
    }

    @Test("content the database could refuse (NUL in ids) is still stored", arguments: TestBackend.available)
    func hostileContentIsStored(backend: TestBackend) async throws {
        let sourceID = uniqueSourceID("stripe")
        try await withGateway(try testConfiguration(backend: backend, tls: Self.certificate, source: sourceID)) { gateway in
            let body =
                #"{"id":"evt_nul\u0000x","object":"event","created":1763720100,"type":"payment_intent.succeeded","data":{"object":{"id":"pi_\u0000nul","amount":100,"currency":"usd"}}}"#
            let response = try await gateway.postSignedStripe(sourceID, body: body)
            #expect(response.status == 200)
            #expect(response.body.contains(#""accepted""#))
            let again = try await gateway.postSignedStripe(sourceID, body: body)
            #expect(again.body.contains(#""duplicate""#))
            let events = try await gateway.adminJSON("/v1/events?source=\(sourceID)")
            let event = try #require((events["data"] as? [[String: Any]])?.first)
            #expect(event["subject"] as? String == "pi_\u{0}nul", "the event keeps the provider's id verbatim")
        }
    }

    @Test("an unknown event type is a passthrough event", arguments: TestBackend.available)
    func passthrough(backend: TestBackend) async throws {
        let sourceID = uniqueSourceID("stripe")
        try await withGateway(try testConfiguration(backend: backend, tls: Self.certificate, source: sourceID)) { gateway in
            let response = try await gateway.postSignedStripe(sourceID, body: stripeBody(type: "issuing_card.created"))
            #expect(response.status == 200)
            let events = try await gateway.adminJSON("/v1/events?source=\(sourceID)&type=provider.stripe.*")
            let event = try #require((events["data"] as? [[String: Any]])?.first)
            #expect(event["type"] as? String == "provider.stripe.issuing_card.created")
            let receipts = try await gateway.adminJSON("/v1/receipts?status=unrecognized&source=\(sourceID)")
            #expect((receipts["data"] as? [Any])?.count == 1)
        }
    }

    @Test("concurrent identical deliveries store one event", arguments: TestBackend.available)
    func concurrentDuplicates(backend: TestBackend) async throws {
        let sourceID = uniqueSourceID("stripe")
        try await withGateway(try testConfiguration(backend: backend, tls: Self.certificate, source: sourceID)) { gateway in
            let body = stripeBody()
            let results = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<20 { group.addTask { try await gateway.postSignedStripe(sourceID, body: body).body } }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            let ids = try results.map {
                try #require((try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["events"] as? [String])
            }
            #expect(Set(ids).count == 1, "every answer names the same event")
            #expect(results.filter { $0.contains(#""accepted""#) }.count == 1)
            let listed = try await gateway.adminJSON("/v1/events?source=\(sourceID)")
            #expect((listed["data"] as? [Any])?.count == 1)
        }
    }

    @Test("per-IP rate limit answers 429 with Retry-After")
    func rateLimit() async throws {
        let sourceID = uniqueSourceID("stripe")
        let configuration = try testConfiguration(backend: .sqlite, rateLimit: "{ per_ip_per_second: 1, burst: 3 }", source: sourceID)
        try await withGateway(configuration) { gateway in
            var statuses: [Int] = []
            for _ in 0..<3 { statuses.append(try await gateway.postSignedStripe(sourceID, body: stripeBody()).status) }
            #expect(statuses.allSatisfy { $0 == 200 }, "the burst passes")
            // One token per second refills while requests go out; however slow this machine is, sending faster than
            // that runs the bucket dry within a few requests.
            var limited = try await gateway.postSignedStripe(sourceID, body: stripeBody())
            for _ in 0..<30 where limited.status != 429 {
                limited = try await gateway.postSignedStripe(sourceID, body: stripeBody())
            }
            #expect(limited.status == 429)
            #expect(limited.body == #"{"error":"rate_limited"}"#)
            #expect(limited.headers.first(name: "Retry-After").flatMap(Int.init).map { $0 >= 1 } == true)
        }
    }
}
