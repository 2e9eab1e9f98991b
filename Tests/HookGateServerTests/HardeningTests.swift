import Foundation
import HookGateProviders
import HookGateTesting
import NIOConcurrencyHelpers
import NIOHTTP1
import NIOSSL
import Testing

@testable import HookGateCore

/// The public listener against slow, idle, oversized and old-TLS clients (DESIGN.md §4 hardening).
@Suite("Public listener hardening")
struct HardeningTests {
    static let certificate = try! DevelopmentCertificate.make()

    func signedRequest(_ body: String = stripeBody(), source: String = "stripe") -> String {
        let signature = StripeSigner.signatureHeader(
            body: Array(body.utf8), secret: RunningGateway.stripeSecret, timestamp: Int64(Date().timeIntervalSince1970))
        return
            "POST /webhooks/\(source) HTTP/1.1\r\nHost: hooks\r\nContent-Type: application/json\r\nStripe-Signature: \(signature)\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    func port(_ gateway: RunningGateway) -> Int {
        Int(gateway.ingestURL.split(separator: ":").last!)!
    }

    @Test("requests holding the whole buffer budget make the next one 503 with Retry-After; it fits once they end")
    func bufferBudget() async throws {
        let configuration = try testConfiguration(
            backend: .sqlite, extraServer: "  max_buffered_bytes: 4096\n  max_body_bytes: 2048\n  read_timeout_seconds: 30")
        try await withGateway(configuration) { gateway in
            // Two requests declare 2,048 bytes each and send them slowly: the 4 KiB budget is taken.
            let head = "POST /webhooks/stripe HTTP/1.1\r\nHost: hooks\r\nContent-Type: application/json\r\nContent-Length: 2048\r\n\r\n"
            let holders = [try await RawConnection(port: port(gateway)), try await RawConnection(port: port(gateway))]
            for holder in holders { try await holder.send(head + "{") }
            try await Task.sleep(for: .milliseconds(300))
            let refused = try await gateway.postSignedStripe("stripe", body: stripeBody())
            #expect(refused.status == 503 && refused.body == #"{"error":"unavailable"}"#)
            #expect(refused.headers.first(name: "Retry-After") == "1")
            for holder in holders { await holder.close() }
            try await Task.sleep(for: .milliseconds(300))
            let accepted = try await gateway.postSignedStripe("stripe", body: stripeBody())
            #expect(accepted.status == 200, "the budget is released when the requests end: \(accepted.body)")
        }
    }

    @Test("the admin listener is hardened too: slow headers are cut off, oversized headers refused")
    func adminListener() async throws {
        let configuration = try testConfiguration(backend: .sqlite, extraServer: "  read_timeout_seconds: 1\n  idle_timeout_seconds: 30")
        try await withGateway(configuration) { gateway in
            let adminPort = Int(gateway.adminURL.split(separator: ":").last!)!
            let slow = try await RawConnection(port: adminPort)
            let header = "GET /v1/events HTTP/1.1\r\nHost: admin\r\n" + String(repeating: "X-Slow: yes\r\n", count: 50)
            let lasted = await slow.dribble(header, every: .milliseconds(100), chunk: 4)
            #expect(await slow.closed(within: .seconds(1)))
            #expect(lasted < .seconds(3), "a slow admin client held its connection for \(lasted)")
            let big = try await RawConnection(port: adminPort)
            try await big.send("GET /healthz HTTP/1.1\r\nHost: admin\r\nX-Big: \(String(repeating: "a", count: 40_000))\r\n\r\n")
            let answer = await big.response(within: .seconds(2))
            #expect(answer.map { !$0.hasPrefix("HTTP/1.1 200") } ?? true, "an oversized header is not served: \(answer?.prefix(40) ?? "closed")")
            #expect(try await gateway.admin("/healthz", token: nil).status == 200, "and the listener serves on")
        }
    }

    @Test("a client dribbling its headers is disconnected after the read timeout")
    func slowHeaders() async throws {
        let configuration = try testConfiguration(backend: .sqlite, extraServer: "  read_timeout_seconds: 1\n  idle_timeout_seconds: 30")
        try await withGateway(configuration) { gateway in
            let connection = try await RawConnection(port: port(gateway))
            let header = "POST /webhooks/stripe HTTP/1.1\r\nHost: hooks\r\n" + String(repeating: "X-Slow: yes\r\n", count: 50)
            let lasted = await connection.dribble(header, every: .milliseconds(100), chunk: 4)
            #expect(await connection.closed(within: .seconds(1)))
            #expect(lasted < .seconds(3), "the server let a slow client hold the connection for \(lasted)")
            #expect(lasted > .milliseconds(800), "closed before the read timeout")
        }
    }

    @Test("a client dribbling its body is disconnected after the read timeout, over TLS too", arguments: [false, true])
    func slowBody(tls: Bool) async throws {
        let configuration = try testConfiguration(
            backend: .sqlite, tls: tls ? Self.certificate : nil, extraServer: "  read_timeout_seconds: 1\n  idle_timeout_seconds: 30"
        )
        try await withGateway(configuration) { gateway in
            var client = TLSConfiguration.makeClientConfiguration()
            client.certificateVerification = .none
            let connection = try await RawConnection(port: port(gateway), tls: tls ? client : nil)
            let body = String(repeating: "a", count: 200)
            let lasted = await connection.dribble(
                "POST /webhooks/stripe HTTP/1.1\r\nHost: hooks\r\nContent-Length: 200\r\n\r\n" + body, every: .milliseconds(50), chunk: 4
            )
            #expect(await connection.closed(within: .seconds(1)))
            #expect(lasted < .seconds(3))
            #expect(!connection.text.contains("200 OK"))
        }
    }

    @Test("waiting between keep-alive requests is not a read timeout; idling past the idle timeout closes")
    func keepAliveAndIdle() async throws {
        let configuration = try testConfiguration(backend: .sqlite, extraServer: "  read_timeout_seconds: 1\n  idle_timeout_seconds: 3")
        try await withGateway(configuration) { gateway in
            let connection = try await RawConnection(port: port(gateway))
            try await connection.send(signedRequest())
            let first = try #require(await connection.response(within: .seconds(5)))
            #expect(first.hasPrefix("HTTP/1.1 200"))
            try await Task.sleep(for: .milliseconds(1_600))  // longer than the read timeout, shorter than idle
            try await connection.send(signedRequest())
            let second = try #require(await connection.response(within: .seconds(5), after: first.utf8.count))
            #expect(second.hasPrefix("HTTP/1.1 200"))
            #expect(await connection.closed(within: .seconds(6)), "an idle keep-alive connection must be closed after idle_timeout_seconds")
        }
    }

    @Test("headers over max_header_bytes are refused")
    func headerLimit() async throws {
        let configuration = try testConfiguration(backend: .sqlite, extraServer: "  max_header_bytes: 1024")
        try await withGateway(configuration) { gateway in
            let connection = try await RawConnection(port: port(gateway))
            try await connection.send(
                "POST /webhooks/stripe HTTP/1.1\r\nHost: hooks\r\nX-Big: \(String(repeating: "b", count: 4_000))\r\nContent-Length: 0\r\n\r\n")
            let answered = await connection.response(within: .seconds(3))
            let closed = await connection.closed(within: .seconds(1))
            let refused = answered.map { $0.hasPrefix("HTTP/1.1 431") || $0.hasPrefix("HTTP/1.1 400") } ?? closed
            #expect(refused, "oversized headers got: \(answered ?? "no answer")")
        }
    }

    @Test("TLS below 1.2 is refused; 1.2 and 1.3 are served")
    func tlsVersions() async throws {
        try await withGateway(try testConfiguration(backend: .sqlite, tls: Self.certificate)) { gateway in
            for (version, served) in [(TLSVersion.tlsv1, false), (.tlsv11, false), (.tlsv12, true), (.tlsv13, true)] {
                var client = TLSConfiguration.makeClientConfiguration()
                client.certificateVerification = .none
                client.minimumTLSVersion = version
                client.maximumTLSVersion = version
                let connection = try await RawConnection(port: port(gateway), tls: client)
                try? await connection.send(signedRequest())
                let answer = await connection.response(within: .seconds(3))
                #expect((answer?.hasPrefix("HTTP/1.1 200") ?? false) == served, "\(version)")
                await connection.close()
            }
        }
    }

    @Test("beyond max_connections a new connection waits until one closes")
    func connectionCap() async throws {
        let configuration = try testConfiguration(backend: .sqlite, extraServer: "  max_connections: 2")
        try await withGateway(configuration) { gateway in
            let first = try await RawConnection(port: port(gateway))
            let second = try await RawConnection(port: port(gateway))
            try await first.send(signedRequest())
            try await second.send(signedRequest())
            #expect(await first.response(within: .seconds(5)) != nil)
            #expect(await second.response(within: .seconds(5)) != nil)
            let third = try await RawConnection(port: port(gateway))
            try await third.send(signedRequest())
            #expect(await third.response(within: .milliseconds(800)) == nil, "a third connection was served while two were open")
            await first.close()
            #expect(await third.response(within: .seconds(5))?.hasPrefix("HTTP/1.1 200") == true)
            await second.close()
            await third.close()
        }
    }
}
