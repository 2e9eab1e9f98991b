import Foundation
import HTTPTypes
import HookGateCore
import HookGateProviders
import NIOCore

/// One provider's verify + normalize path under libFuzzer. Each input is tried twice:
///
/// - **signed**: the input's headers with the provider's signature headers computed over its body, as a genuine
///   provider would send it. It must verify, and its normalization must hold the properties below: this is the
///   run that reaches the normalizer with arbitrary content.
/// - **as given**: the input's own headers, signature included, unsigned by us. It must not verify (the fuzzer
///   does not know the secret), and the provider's parsers of signature headers meet whatever the fuzzer wrote.
///
/// A broken property is a `fatalError` naming it, which libFuzzer reports as a crash and saves as an input.
public struct Harness: Sendable {
    static let secret = "fuzz-signing-secret"
    static let publicURL = "https://hooks.example.com"
    static let path = "/webhooks/fuzz"
    /// A fixed receipt and signing time, so that a saved crash reproduces.
    static let received = Date(timeIntervalSince1970: 1_763_800_000)

    let kind: ProviderKind
    let provider: any Provider

    public init(_ kind: ProviderKind) {
        self.kind = kind
        self.provider = ProviderRegistry.provider(
            for: .init(
                id: "fuzz", provider: kind, secrets: [Self.secret], tolerance: .seconds(300),
                publicURL: kind == .twilio ? Self.publicURL : nil, maxBodyBytes: nil
            ))
    }

    /// The libFuzzer entry point's body: always 0 (libFuzzer's "input processed").
    public func run(_ data: UnsafeRawPointer?, _ count: Int) -> CInt {
        let input = FuzzInput(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : count))
        let path = pathAndQuery(for: input.body)

        let signed = webhook(input, path: path, extra: signatureHeaders(input.body, path: path))
        if provider.verify(signed, now: Self.received) {
            check(provider.normalize(signed), input)
        } else if !input.body.isEmpty {
            // An empty body is refused whatever its signature (Shopify's rule), so only a non-empty one must pass.
            fail("a correctly signed request did not verify", input)
        }

        let asGiven = webhook(input, path: path, extra: [])
        if provider.verify(asGiven, now: Self.received) { fail("a request not signed with the secret verified", input) }
        _ = provider.unsignedReply(to: asGiven)
        return 0
    }

    /// Twilio signs a JSON body through a `bodySHA256` query parameter, a form body through its fields.
    private func pathAndQuery(for body: [UInt8]) -> String {
        guard kind == .twilio, body.first == UInt8(ascii: "{") else { return Self.path }
        return String(TwilioSigner.urlWithBodyHash(Self.publicURL + Self.path, body: body).dropFirst(Self.publicURL.count))
    }

    private func signatureHeaders(_ body: [UInt8], path: String) -> [(String, String)] {
        let timestamp = Int64(Self.received.timeIntervalSince1970)
        // Only Twilio can refuse (it needs a URL), and it gets one.
        return (try? ProviderSigning.headers(provider: kind, body: body, secret: Self.secret, url: Self.publicURL + path, timestamp: timestamp)) ?? []
    }

    private func webhook(_ input: FuzzInput, path: String, extra: [(String, String)]) -> InboundWebhook {
        var fields = HTTPFields()
        let replaced = Set(extra.compactMap { HTTPField.Name($0.0) })
        for header in input.headers where !replaced.contains(header.name) {
            fields.append(HTTPField(name: header.name, value: header.value))
        }
        for (name, value) in extra {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        if fields[.contentType] == nil {
            fields[.contentType] = kind == .twilio && input.body.first != UInt8(ascii: "{") ? "application/x-www-form-urlencoded" : "application/json"
        }
        return InboundWebhook(sourceID: "fuzz", headers: fields, body: ByteBuffer(bytes: input.body), pathAndQuery: path, receivedAt: Self.received)
    }

    /// What the ingest path relies on: a storable dedupe key, events exactly when the body parsed, and CloudEvents
    /// whose JSON parses with a `time` that RFC 3339 parsers read, within the years the stores can hold.
    private func check(_ normalization: Normalization, _ input: FuzzInput) {
        let key = normalization.dedupeKey
        if key.isEmpty || key.utf8.count > 200 && !key.hasPrefix("sha256:") || key.utf8.contains(0) {
            fail("unstorable dedupe key \(key.debugDescription.prefix(300))", input)
        }
        if (normalization.status == .unparsed) != normalization.events.isEmpty {
            fail("status \(normalization.status) with \(normalization.events.count) events", input)
        }
        for event in normalization.events {
            if event.id.isEmpty || event.type.isEmpty { fail("an event without id or type", input) }
            if !Timestamp.providerRange.contains(event.time) && event.time != Self.received {
                fail("event time \(event.time) outside the provider range", input)
            }
            let json = try? JSONSerialization.jsonObject(with: Data(event.cloudEventJSON())) as? [String: Any]
            guard let time = json?["time"] as? String, Timestamp.parse(time) != nil else {
                fail("the CloudEvent JSON does not parse with an RFC 3339 time", input)
            }
        }
    }

    private func fail(_ property: String, _ input: FuzzInput) -> Never {
        fatalError("\(kind.rawValue): \(property); body: \(String(decoding: input.body.prefix(300), as: UTF8.self).debugDescription)")
    }
}
