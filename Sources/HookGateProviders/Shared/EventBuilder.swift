import Foundation
import HookGateCore

/// What a provider's normalizer decided for one notification: its canonical type, subject and `data`.
struct Mapping {
    let type: String
    let subject: String?
    let data: JSONValue
}

/// Builds the single-event normalizations every provider produces, with the passthrough fallback in one place.
struct EventBuilder {
    let sourceID: String
    let provider: ProviderKind
    let receivedAt: Date

    init(sourceID: String, provider: ProviderKind, webhook: InboundWebhook) {
        self.sourceID = sourceID
        self.provider = provider
        self.receivedAt = webhook.receivedAt
    }

    /// The mapped event, or the `provider.{provider}.{raw type}` passthrough (`unrecognized`) when `mapping` is nil.
    /// - Parameters:
    ///   - rawType: the provider's own type, which becomes `providereventtype`.
    ///   - time: when the provider says it happened; the receipt time when it does not say, or says a time outside
    ///     ``Timestamp/providerRange``.
    func normalization(_ mapping: Mapping?, rawType: String, dedupeKey: String, time: Date?, providerEventID: String?) -> Normalization {
        let event = CanonicalEvent(
            id: Identifier.make(prefix: "evt_", now: receivedAt),
            sourceID: sourceID,
            provider: provider,
            type: mapping?.type ?? EventType.passthrough(provider: provider, rawType: rawType),
            subject: mapping?.subject,
            time: time.flatMap(Timestamp.providerTime) ?? receivedAt,
            providerEventID: providerEventID,
            providerEventType: rawType,
            data: mapping?.data ?? .object(["raw_type": .string(rawType)])
        )
        return Normalization(status: mapping == nil ? .unrecognized : .normalized, dedupeKey: dedupeKey, events: [event])
    }
}

extension JSONValue {
    /// `{"id", "email", "phone", "name"}` as far as known; `id` and `email` are always present (null when unknown)
    /// so consumers can rely on them, `phone` and `name` only where the provider has them.
    static func customer(id: String?, email: String?, phone: String? = nil, name: String? = nil, full: Bool = false) -> JSONValue {
        full
            ? .object(["id": id.json, "email": email.json, "phone": phone.json, "name": name.json])
            : .object(["id": id.json, "email": email.json])
    }
}

extension JSONValue {
    /// A provider's decimal amount (`"49.00"`) as `{minor, currency}`, or null when it cannot be converted exactly.
    static func money(decimal: String?, currency: String?) -> JSONValue {
        decimal.flatMap { Money(decimal: $0, currency: currency) }.json
    }
}

extension Optional where Wrapped == Money {
    /// The amount as `{minor, currency}`, or JSON `null` when it could not be converted exactly.
    var json: JSONValue { map(\.json) ?? .null }
}

extension Optional where Wrapped == Int64 {
    var json: JSONValue { map(JSONValue.int) ?? .null }
}

/// `first last`, or whichever is present; nil when neither is.
func fullName(_ first: String?, _ last: String?) -> String? {
    let parts = [first, last].compactMap { $0?.isEmpty == false ? $0 : nil }
    return parts.isEmpty ? nil : parts.joined(separator: " ")
}
