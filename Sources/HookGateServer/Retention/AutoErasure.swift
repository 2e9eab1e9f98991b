import HookGateCore
import HookGateStorage
import Logging

/// Shopify's redact topics on an `auto_erase` source start erasures themselves (DESIGN.md §13) once the request is
/// stored: `customers/redact` that customer in that source, `shop/redact` everything the source holds. The request
/// event itself is kept and delivered, because internal services need its `data.customer` to erase their copies.
struct AutoErasure: Sendable {
    let erasures: ErasureService
    /// The sources with `auto_erase: true`.
    let sources: Set<String>
    let logger: Logger

    /// Called after `record` was stored (never for a duplicate, whose original already asked).
    func stored(_ record: IngestRecord) {
        guard sources.contains(record.sourceID) else { return }
        for event in record.events {
            switch event.type {
            case EventType.privacyCustomerRedactRequested:
                guard let keys = Self.customer(in: event) else {
                    logger.error(
                        "a customers/redact request names no usable customer id, email or phone; nothing was erased",
                        metadata: ["hookgate.event_id": "\(event.id)"])
                    continue
                }
                erasures.request(.customer(keys), sources: [record.sourceID], keeping: event.id, actor: "auto_erase:\(record.sourceID)")
            case EventType.privacyShopRedactRequested:
                erasures.request(.everything, sources: [record.sourceID], keeping: event.id, actor: "auto_erase:\(record.sourceID)")
            default:
                continue
            }
        }
    }

    /// The customer the request names; a phone that is not in international form is left out rather than failing
    /// the id and email beside it.
    static func customer(in event: IngestRecord.Event) -> CustomerKeys? {
        guard let customer = JSONTape(parsing: event.payload)?.root["data"]?["customer"] else { return nil }
        let id = customer["id"].flatMap { $0.string ?? $0.int64.map(String.init) }
        let email = customer["email"]?.string
        let phone = customer["phone"]?.string.flatMap(CustomerKeys.e164)
        return try? CustomerKeys(id: id, email: email, phone: phone)
    }
}
