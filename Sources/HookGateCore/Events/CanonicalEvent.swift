import Foundation

/// One provider notification in HookGate's stable shape, delivered as a CloudEvents 1.0 structured JSON document.
public struct CanonicalEvent: Sendable, Equatable {
    /// HookGate's own id: `evt_` + ULID, unique and time-sortable; consumers see it as `webhook-id`.
    public var id: String
    /// `sources[].id`; the CloudEvent `source` is `hookgate/{sourceID}`.
    public var sourceID: String
    public var provider: ProviderKind
    /// A canonical type (`payment.succeeded`) or a passthrough `provider.{provider}.{raw type}`.
    public var type: String
    /// The type's primary id (`payment_id`, `order_id`, …).
    public var subject: String?
    /// When the provider says it happened, else when HookGate received it.
    public var time: Date
    public var providerEventID: String?
    public var providerEventType: String?
    public var data: JSONValue
    /// The W3C trace context the provider's request carried (CloudEvents distributed tracing extension); delivery
    /// passes it on as the `traceparent` header.
    public var traceparent: String?

    public init(
        id: String, sourceID: String, provider: ProviderKind, type: String, subject: String?, time: Date,
        providerEventID: String?, providerEventType: String?, data: JSONValue
    ) {
        self.id = id
        self.sourceID = sourceID
        self.provider = provider
        self.type = type
        self.subject = subject
        self.time = time
        self.providerEventID = providerEventID
        self.providerEventType = providerEventType
        self.data = data
    }

    /// The CloudEvents structured-mode JSON, members in a fixed order.
    public func cloudEventJSON() -> [UInt8] {
        var writer = JSONWriter(capacity: 512)
        writer.object { writer in
            writer.field("specversion", "1.0")
            writer.field("id", id)
            writer.field("source", "hookgate/" + sourceID)
            writer.field("type", type)
            if let subject { writer.field("subject", subject) }
            writer.field("time", Timestamp.rfc3339(time))
            writer.field("datacontenttype", "application/json")
            writer.field("provider", provider.rawValue)
            if let providerEventID { writer.field("providereventid", providerEventID) }
            if let providerEventType { writer.field("providereventtype", providerEventType) }
            if let traceparent { writer.field("traceparent", traceparent) }
            writer.key("data")
            data.write(to: &writer)
        }
        return writer.bytes
    }
}

extension CanonicalEvent {
    /// `traceparent` when it is a well-formed W3C trace context (`00-<32 hex>-<16 hex>-<2 hex>`), else nil: the value
    /// comes from the request and is forwarded to internal services, so nothing else passes.
    public static func validTraceparent(_ value: String?) -> String? {
        guard let value, value.utf8.count == 55 else { return nil }
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.map(\.utf8.count) == [2, 32, 16, 2],
            parts.allSatisfy({ $0.utf8.allSatisfy { Hex.nibble($0) != nil && !(UInt8(ascii: "A")...UInt8(ascii: "F")).contains($0) } }),
            parts[0] != "ff", parts[1] != String(repeating: "0", count: 32), parts[2] != String(repeating: "0", count: 16)
        else { return nil }
        return value
    }
}
