import Crypto
import Foundation
import NIOCore
import Testing

@testable import HookGateDelivery

@Suite("Standard Webhooks signing and the SSRF address policy")
struct SigningAndAddressTests {
    // PROVIDERS.md §7, the Standard Webhooks SDKs' vector.
    @Test("traceparent is read from the CloudEvent's envelope only, never from its data")
    func traceparentInEnvelope() {
        let trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let with = #"{"specversion":"1.0","id":"evt_1","traceparent":"\#(trace)","data":{"traceparent":"00-x"}}"#
        #expect(DeliverySender.traceparent(in: ByteBuffer(string: with)) == trace)
        let onlyInData = #"{"specversion":"1.0","id":"evt_1","data":{"a":1,"traceparent":"00-x"}}"#
        #expect(DeliverySender.traceparent(in: ByteBuffer(string: onlyInData)) == nil)
        #expect(DeliverySender.traceparent(in: ByteBuffer(string: #"{"id":"evt_1","data":{}}"#)) == nil)
        #expect(DeliverySender.traceparent(in: ByteBuffer(string: #","traceparent":""#)) == nil, "no closing quote")
        #expect(DeliverySender.traceparent(in: ByteBuffer()) == nil)
        // Near misses before the real member do not hide it.
        let nearMiss = #"{"x":","tracepar","y":",","traceparent":"\#(trace)","data":1}"#
        #expect(DeliverySender.traceparent(in: ByteBuffer(string: nearMiss)) == trace)
    }

    @Test("Standard Webhooks vector, unpadded secrets, rotation")
    func vector() {
        let body = Array(#"{"test": 2432232314}"#.utf8)
        let expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        #expect(
            WebhookSignature.header(
                id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body, secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"])
                == expected)
        #expect(
            WebhookSignature.header(
                id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body, secrets: ["MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]) == expected)
        let rotated = WebhookSignature.header(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body,
            secrets: ["whsec_bmV3LXNlY3JldC0wMTIzNDU2Nzg5", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"])
        #expect(rotated.split(separator: " ").count == 2)
        #expect(rotated.hasSuffix(" " + expected))
    }

    @Test("generated secrets are whsec_ + 32 random bytes")
    func generated() {
        let secret = WebhookSignature.generateSecret()
        #expect(secret.hasPrefix("whsec_"))
        #expect(Data(base64Encoded: String(secret.dropFirst(6)))?.count == 32)
        #expect(secret != WebhookSignature.generateSecret())
    }

    @Test(
        "only globally routable addresses pass",
        arguments: [
            ("93.184.215.14", true), ("8.8.8.8", true), ("2606:4700:4700::1111", true), ("2a00:1450:4001:80e::200e", true),
            ("127.0.0.1", false), ("127.255.0.9", false), ("10.1.2.3", false), ("172.16.0.1", false), ("172.31.255.255", false),
            ("192.168.1.1", false), ("169.254.169.254", false), ("100.64.0.1", false), ("100.127.255.254", false), ("0.0.0.0", false),
            ("224.0.0.1", false), ("255.255.255.255", false), ("192.0.2.10", false), ("198.18.0.1", false), ("240.0.0.1", false),
            ("::", false), ("::1", false), ("::ffff:127.0.0.1", false), ("::ffff:8.8.8.8", false), ("fe80::1", false), ("fc00::1", false),
            ("fd12:3456::1", false), ("ff02::1", false), ("2001:db8::1", false), ("2002:7f00:1::1", false), ("2001:0:4136:e378::1", false),
            ("64:ff9b::7f00:1", false),
        ])
    func classification(address: String, global: Bool) throws {
        let parsed = try #require(AddressPolicy.Address(address))
        #expect(AddressPolicy.isGlobal(parsed) == global, "\(address)")
    }

    @Test("names resolve to every address; localhost is loopback and refused")
    func resolution() async throws {
        let addresses = try await AddressPolicy.resolve("localhost")
        #expect(!addresses.isEmpty)
        #expect(addresses.allSatisfy { !AddressPolicy.isGlobal($0) })
        #expect(try await AddressPolicy.resolve("127.0.0.1").map(\.description) == ["127.0.0.1"])
        await #expect(throws: AddressPolicy.ResolutionError.self) { try await AddressPolicy.resolve("no-such-host.invalid") }
    }
}
