import Foundation
import HTTPTypes
import HookGateProviders
import NIOCore
import Testing

@testable import HookGateCore

@Suite("Stripe verification")
struct StripeVerificationTests {
    static let sdkPayload = """
        {
          "id": "evt_test_webhook",
          "object": "event",
          "data": { "object": { "id": "rdr_123", "object": "terminal.reader" } }
        }
        """
    static let t: Int64 = 1_700_000_000
    static let at = Date(timeIntervalSince1970: 1_700_000_000)

    func provider(secrets: [String] = ["whsec_test_secret"], tolerance: Duration = .seconds(300)) throws -> any Provider {
        ProviderRegistry.provider(
            for: .init(id: "stripe", provider: .stripe, secrets: secrets, tolerance: tolerance, publicURL: nil, maxBodyBytes: nil))
    }

    func webhook(_ body: String, signature: String?) -> InboundWebhook {
        var headers = HTTPFields()
        if let signature { headers[HTTPField.Name("Stripe-Signature")!] = signature }
        return InboundWebhook(
            sourceID: "stripe", headers: headers, body: ByteBuffer(string: body), pathAndQuery: "/webhooks/stripe", receivedAt: Self.at)
    }

    @Test(
        "PROVIDERS.md vectors (whsec_test_secret, t=1700000000)",
        arguments: [
            (sdkPayload, "3bfab77baf5f7b6991a46c9b53b6547d7afc56148b10468fcad9f35c1992ffbd"),
            (
                #"{"id":"evt_1","object":"event","type":"payment_intent.succeeded"}"#,
                "67da5088c63e080c71bd2bb0cb5c03d85a8fc6a21ce3aaf484df809654745b92"
            ),
        ])
    func publishedVectors(body: String, v1: String) throws {
        #expect(StripeSigner.signatureHeader(body: Array(body.utf8), secret: "whsec_test_secret", timestamp: Self.t) == "t=\(Self.t),v1=\(v1)")
        #expect(try provider().verify(webhook(body, signature: "t=\(Self.t),v1=\(v1)"), now: Self.at))
        #expect(try provider().verify(webhook(body, signature: "t=\(Self.t),v1=\(v1.uppercased())"), now: Self.at))
    }

    @Test("SDK cases: malformed, v0 only, bad signature, extra bad v1, tolerance")
    func sdkCases() throws {
        let body = Self.sdkPayload
        let good = StripeSigner.signatureHeader(body: Array(body.utf8), secret: "whsec_test_secret", timestamp: Self.t)
        let v1 = String(good.split(separator: "=").last!)
        let stripe = try provider()
        #expect(!stripe.verify(webhook(body, signature: "i'm not even a real signature header"), now: Self.at))
        #expect(!stripe.verify(webhook(body, signature: "t=\(Self.t),v0=\(v1)"), now: Self.at))
        #expect(!stripe.verify(webhook(body, signature: "t=\(Self.t),v1=bad_signature"), now: Self.at))
        #expect(stripe.verify(webhook(body, signature: "t=\(Self.t),v1=bad_signature,v1=\(v1)"), now: Self.at))
        #expect(stripe.verify(webhook(body, signature: "t=\(Self.t), v1=\(v1), v0=abcd"), now: Self.at))
        #expect(!stripe.verify(webhook(body, signature: nil), now: Self.at))
        #expect(!stripe.verify(webhook(body, signature: "v1=\(v1)"), now: Self.at))
        #expect(!stripe.verify(webhook(body, signature: "t=\(Self.t),t=\(Self.t),v1=\(v1)"), now: Self.at))
        // Tolerance applies in both directions.
        #expect(stripe.verify(webhook(body, signature: good), now: Self.at.addingTimeInterval(300)))
        #expect(!stripe.verify(webhook(body, signature: good), now: Self.at.addingTimeInterval(301)))
        #expect(!stripe.verify(webhook(body, signature: good), now: Self.at.addingTimeInterval(-301)))
        #expect(!(try provider(tolerance: .seconds(10))).verify(webhook(body, signature: good), now: Self.at.addingTimeInterval(15)))
    }

    @Test("any configured secret verifies (rotation); a wrong secret does not")
    func rotation() throws {
        let body = #"{"id":"evt_rot","object":"event","type":"customer.created"}"#
        let oldSigned = StripeSigner.signatureHeader(body: Array(body.utf8), secret: "whsec_old", timestamp: Self.t)
        #expect(try provider(secrets: ["whsec_new", "whsec_old"]).verify(webhook(body, signature: oldSigned), now: Self.at))
        #expect(!(try provider(secrets: ["whsec_new"])).verify(webhook(body, signature: oldSigned), now: Self.at))
    }

    @Test("a tampered body fails")
    func tampered() throws {
        let body = #"{"id":"evt_t","object":"event","type":"payment_intent.succeeded","amount":100}"#
        let signature = StripeSigner.signatureHeader(body: Array(body.utf8), secret: "whsec_test_secret", timestamp: Self.t)
        #expect(!(try provider()).verify(webhook(body.replacingOccurrences(of: "100", with: "900"), signature: signature), now: Self.at))
        #expect(!(try provider()).verify(webhook(body + " ", signature: signature), now: Self.at))
    }

    @Test("thousands of mutated headers and bodies never crash and never verify")
    func mutationFuzz() throws {
        let stripe = try provider()
        let body = Array(#"{"id":"evt_fuzz","object":"event","type":"payment_intent.succeeded"}"#.utf8)
        let header = Array(StripeSigner.signatureHeader(body: body, secret: "whsec_test_secret", timestamp: Self.t).utf8)
        var generator = SystemRandomNumberGenerator()
        var accepted = 0
        for round in 0..<5_000 {
            var mutatedHeader = header
            var mutatedBody = body
            let target = round % 2 == 0
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                if target {
                    let index = Int.random(in: 0..<mutatedHeader.count, using: &generator)
                    mutatedHeader[index] = UInt8.random(in: 0...255, using: &generator)
                } else {
                    let index = Int.random(in: 0..<mutatedBody.count, using: &generator)
                    mutatedBody[index] = UInt8.random(in: 0...255, using: &generator)
                }
            }
            guard mutatedHeader != header || mutatedBody != body else { continue }
            var headers = HTTPFields()
            headers[HTTPField.Name("Stripe-Signature")!] = String(decoding: mutatedHeader, as: UTF8.self)
            let hook = InboundWebhook(
                sourceID: "stripe", headers: headers, body: ByteBuffer(bytes: mutatedBody), pathAndQuery: "/", receivedAt: Self.at)
            if stripe.verify(hook, now: Self.at) {
                // Only a mutation that leaves the signed material intact (e.g. a hex digit's case) may pass.
                let sameBody = mutatedBody == body
                #expect(sameBody, "a mutated body verified")
                accepted += 1
            }
            _ = stripe.normalize(hook)  // must not crash on any bytes
        }
        #expect(accepted < 100)
    }
}
