import HookGateCore
import NIOCore

/// The parts of a Stripe event HookGate reads; everything else stays in the stored receipt.
struct StripeEventEnvelope {
    let id: String
    let type: String
    let created: Int64?
    let object: StripeObject?

    /// Nil when the body is not a JSON object with string `id` and `type`.
    init?(_ body: ByteBuffer) {
        guard let root = JSONTape(parsing: body)?.root, let id = root["id"]?.string, let type = root["type"]?.string else { return nil }
        self.id = id
        self.type = type
        created = root["created"]?.int64
        object = root["data"]?["object"].flatMap(StripeObject.init)
    }
}
