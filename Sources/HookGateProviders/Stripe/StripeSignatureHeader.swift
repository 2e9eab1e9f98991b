import HookGateCore

/// The parsed `Stripe-Signature` header: `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`.
///
/// Only `v1` signatures are kept; other schemes (`v0`) are ignored so a downgrade cannot be forced. Parsed over the
/// UTF-8 bytes: this runs for every request, and Foundation's string splitting cost more than the HMAC itself.
struct StripeSignatureHeader {
    static let maximumLength = 4_096

    let timestamp: Int64
    let signatures: [[UInt8]]

    init?(_ header: String) {
        guard header.utf8.count <= Self.maximumLength else { return nil }
        var timestamp: Int64?
        var signatures: [[UInt8]] = []
        for item in header.utf8.split(separator: UInt8(ascii: ",")) {
            let field = item.drop { $0 == UInt8(ascii: " ") }
            guard let equals = field.firstIndex(of: UInt8(ascii: "=")) else { return nil }
            let key = field[..<equals]
            var value = field[field.index(after: equals)...]
            while value.last == UInt8(ascii: " ") { value = value.dropLast() }
            if key.elementsEqual("t".utf8) {
                guard timestamp == nil, let parsed = SignedTimestamp.parse(value) else { return nil }
                timestamp = parsed
            } else if key.elementsEqual("v1".utf8) {
                // A v1 that is not 32 bytes of hex cannot match; skip it rather than reject its siblings.
                if value.count == 64, let bytes = Hex.decode(utf8: value) { signatures.append(bytes) }
            }
        }
        guard let timestamp, !signatures.isEmpty else { return nil }
        self.timestamp = timestamp
        self.signatures = signatures
    }
}
