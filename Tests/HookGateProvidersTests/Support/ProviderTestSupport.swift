import Foundation
import HTTPTypes
import HookGateProviders
import HookGateTesting
import NIOCore
import Testing

@testable import HookGateCore

/// Builds providers as the gateway does (through the registry) and requests as the listener hands them over.
enum ProviderTestSupport {
    static let received = Date(timeIntervalSince1970: 1_763_800_000)

    static func provider(
        _ kind: ProviderKind, secrets: [String], tolerance: Duration = .seconds(300), publicURL: String? = nil
    ) -> any Provider {
        ProviderRegistry.provider(
            for: .init(id: kind.rawValue, provider: kind, secrets: secrets, tolerance: tolerance, publicURL: publicURL, maxBodyBytes: nil))
    }

    static func webhook(
        _ body: [UInt8], headers: [(String, String)] = [], path: String = "/webhooks/source", at: Date = received
    ) -> InboundWebhook {
        var fields = HTTPFields()
        for (name, value) in headers { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        return InboundWebhook(sourceID: "source", headers: fields, body: ByteBuffer(bytes: body), pathAndQuery: path, receivedAt: at)
    }

    static func webhook(_ body: String, headers: [(String, String)] = [], path: String = "/webhooks/source", at: Date = received) -> InboundWebhook {
        webhook(Array(body.utf8), headers: headers, path: path, at: at)
    }

    /// Normalizes a fixture and requires exactly one event.
    static func single(
        _ provider: any Provider, fixture: String, headers: [(String, String)] = [], path: String = "/webhooks/source",
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> (Normalization, CanonicalEvent) {
        let result = provider.normalize(webhook(try Fixtures.bytes(fixture), headers: headers, path: path))
        #expect(result.events.count == 1, sourceLocation: sourceLocation)
        return (result, try #require(result.events.first, sourceLocation: sourceLocation))
    }

    /// Flips random bytes of a correctly signed request's signature headers or body, `rounds` times, and returns
    /// how many mutated requests verified. Normalizing every one of them must not crash either.
    static func mutationFuzz(
        _ provider: any Provider, body: [UInt8], headers: [(String, String)], signed: Set<String>, path: String = "/webhooks/source",
        rounds: Int = 3_000, now: Date = received, sameSignedContent: ([UInt8], [UInt8]) -> Bool = { $0 == $1 }
    ) -> (verified: Int, forgedBodies: Int) {
        var generator = SystemRandomNumberGenerator()
        var verified = 0
        var forgedBodies = 0
        for round in 0..<rounds {
            var mutatedHeaders = headers
            var mutatedBody = body
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let signedIndices = mutatedHeaders.indices.filter { signed.contains(mutatedHeaders[$0].0) }
                if round % 2 == 0, let which = signedIndices.randomElement(using: &generator), !mutatedHeaders[which].1.isEmpty {
                    var value = Array(mutatedHeaders[which].1.utf8)
                    value[Int.random(in: 0..<value.count, using: &generator)] = UInt8.random(in: 0x20...0x7e, using: &generator)
                    mutatedHeaders[which].1 = String(decoding: value, as: UTF8.self)
                } else if !mutatedBody.isEmpty {
                    mutatedBody[Int.random(in: 0..<mutatedBody.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
            }
            let request = webhook(mutatedBody, headers: mutatedHeaders, path: path, at: now)
            if provider.verify(request, now: now) {
                verified += 1
                if !sameSignedContent(mutatedBody, body) { forgedBodies += 1 }
            }
            _ = provider.normalize(request)
        }
        return (verified, forgedBodies)
    }
}
