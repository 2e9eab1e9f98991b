import Foundation

/// The seam every provider implements: verify the signature over the exact bytes, then normalize.
///
/// An instance is built per configured source (with that source's secrets and tolerance already prepared), so
/// the hot path does no per-request key setup.
public protocol Provider: Sendable {
    var kind: ProviderKind { get }

    /// True when one of the source's secrets produced the request's signature and any signed timestamp is within
    /// tolerance of `now`. Never throws: malformed signature material is simply invalid.
    func verify(_ webhook: InboundWebhook, now: Date) -> Bool

    /// Classifies a verified request and maps it to canonical events. Never fails: content that cannot be parsed
    /// becomes an `unparsed` normalization, so a verified request is never dropped.
    func normalize(_ webhook: InboundWebhook) -> Normalization
}
