import Foundation
import HookGateProviders
import HookGateTesting
import NIOConcurrencyHelpers
import NIOSSL
import Testing

/// SIGHUP reloads the TLS certificate for new connections without dropping established ones.
@Suite("Certificate reload")
struct CertificateReloadTests {
    @Test("SIGHUP serves the new certificate to new connections; an open connection keeps working")
    func reloadOnSIGHUP() async throws {
        let directory = TemporaryDirectory.make()
        let first = try DevelopmentCertificate.make(commonName: "first")
        let certificate = directory.appendingPathComponent("server.crt")
        let key = directory.appendingPathComponent("server.key")
        try FileManager.default.copyItem(atPath: first.certificatePath, toPath: certificate.path)
        try FileManager.default.copyItem(atPath: first.keyPath, toPath: key.path)
        let secret = "whsec_reload_test"
        let yaml = """
            server: { listen: 127.0.0.1:0, admin_listen: 127.0.0.1:0, tls: { cert: \(certificate.path), key: \(key.path) } }
            storage: { url: "sqlite://\(directory.appendingPathComponent("db.sqlite").path)" }
            sources: [ { id: stripe, provider: stripe, secrets: ["\(secret)"] } ]
            """
        let gateway = try await GatewayProcess(configYAML: yaml, directory: directory)
        var client = TLSConfiguration.makeClientConfiguration()
        client.certificateVerification = .none

        func request() -> String {
            let body = stripeBody()
            let signature = StripeSigner.signatureHeader(body: Array(body.utf8), secret: secret, timestamp: Int64(Date().timeIntervalSince1970))
            return "POST /webhooks/stripe HTTP/1.1\r\nHost: h\r\nStripe-Signature: \(signature)\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        }

        let oldPeer = NIOLockedValueBox<[UInt8]?>(nil)
        let established = try await RawConnection(port: gateway.ingestPort, tls: client, peerCertificate: oldPeer)
        try await established.send(request())
        let firstAnswer = try #require(await established.response(within: .seconds(10)))
        #expect(firstAnswer.hasPrefix("HTTP/1.1 200"))

        let second = try DevelopmentCertificate.make(commonName: "second")
        try FileManager.default.removeItem(at: certificate)
        try FileManager.default.removeItem(at: key)
        try FileManager.default.copyItem(atPath: second.certificatePath, toPath: certificate.path)
        try FileManager.default.copyItem(atPath: second.keyPath, toPath: key.path)
        gateway.signal(SIGHUP)
        let expected = try NIOSSLCertificate.fromPEMFile(second.certificatePath)[0].toDERBytes()
        var newPeer: [UInt8]?
        for _ in 0..<50 where newPeer != expected {
            try await Task.sleep(for: .milliseconds(100))
            let peer = NIOLockedValueBox<[UInt8]?>(nil)
            let fresh = try await RawConnection(port: gateway.ingestPort, tls: client, peerCertificate: peer)
            try await fresh.send(request())
            _ = await fresh.response(within: .seconds(5))
            newPeer = peer.withLockedValue { $0 }
            await fresh.close()
        }
        #expect(newPeer == expected, "new connections must get the reloaded certificate")
        #expect(oldPeer.withLockedValue { $0 } == (try NIOSSLCertificate.fromPEMFile(first.certificatePath)[0].toDERBytes()))

        // The connection opened before the reload still serves requests.
        try await established.send(request())
        let laterAnswer = await established.response(within: .seconds(10), after: firstAnswer.utf8.count)
        #expect(laterAnswer?.hasPrefix("HTTP/1.1 200") == true)
        #expect(gateway.log.contains("reloaded TLS certificate"))
        await established.close()
        await gateway.terminate()
    }

    @Test("a plaintext gateway keeps running on SIGHUP")
    func plaintextSIGHUP() async throws {
        let directory = TemporaryDirectory.make()
        let secret = "whsec_plaintext_hup"
        let yaml = """
            server: { listen: 127.0.0.1:0, admin_listen: 127.0.0.1:0 }
            storage: { url: "sqlite://\(directory.appendingPathComponent("db.sqlite").path)" }
            sources: [ { id: stripe, provider: stripe, secrets: ["\(secret)"] } ]
            """
        let gateway = try await GatewayProcess(configYAML: yaml, directory: directory)
        gateway.signal(SIGHUP)
        try await Task.sleep(for: .milliseconds(500))
        let body = stripeBody()
        let signature = StripeSigner.signatureHeader(body: Array(body.utf8), secret: secret, timestamp: Int64(Date().timeIntervalSince1970))
        let connection = try await RawConnection(port: gateway.ingestPort)
        try await connection.send(
            "POST /webhooks/stripe HTTP/1.1\r\nHost: h\r\nStripe-Signature: \(signature)\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        let answer = await connection.response(within: .seconds(10))
        #expect(answer?.hasPrefix("HTTP/1.1 200") == true, "still serving after SIGHUP: \(gateway.log.suffix(500))")
        #expect(gateway.log.contains("no TLS certificate to reload"))
        await connection.close()
        await gateway.terminate()
    }
}
