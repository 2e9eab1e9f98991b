import Foundation

/// The seam every provider implements: verify the signature over the exact bytes, then normalize.
///
/// An instance is built per configured source (with that source's secrets and tolerance already prepared), so
/// the hot path does no per-request key setup.
public protocol Provider: Sendable {
    var kind: ProviderKind { get }

    /// How a verified webhook (new or duplicate) is answered; the provider reads the body of the answer.
    var acknowledgement: Acknowledgement { get }

    /// The JSON body of a 200 for a request the provider sends unsigned by design and that is answered without
    /// verification or storage (WooCommerce's creation ping); nil for every other request.
    func unsignedReply(to webhook: InboundWebhook) -> [UInt8]?

    /// True when one of the source's secrets produced the request's signature and any signed timestamp is within
    /// tolerance of `now`. Never throws: malformed signature material is simply invalid.
    func verify(_ webhook: InboundWebhook, now: Date) -> Bool

    /// Classifies a verified request and maps it to canonical events. Never fails: content that cannot be parsed
    /// becomes an `unparsed` normalization, so a verified request is never dropped.
    func normalize(_ webhook: InboundWebhook) -> Normalization
}

/// The body of a 200 for a verified webhook.
public enum Acknowledgement: Sendable {
    /// `{"status":"accepted"|"duplicate","events":[…]}` (DESIGN.md §4).
    case json
    /// An empty TwiML document, since Twilio reads the answer as instructions (DESIGN.md §5).
    case twiml
}

extension Provider {
    public var acknowledgement: Acknowledgement { .json }

    public func unsignedReply(to webhook: InboundWebhook) -> [UInt8]? { nil }
}
