import Foundation
import HookGateCore

/// The parsed `Stripe-Signature` header: `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`.
///
/// Only `v1` signatures are kept; other schemes (`v0`) are ignored so a downgrade cannot be forced.
struct StripeSignatureHeader {
    static let maximumLength = 4_096

    let timestamp: Int64
    let signatures: [[UInt8]]

    init?(_ header: String) {
        guard header.utf8.count <= Self.maximumLength else { return nil }
        var timestamp: Int64?
        var signatures: [[UInt8]] = []
        for item in header.split(separator: ",") {
            guard let equals = item.firstIndex(of: "=") else { return nil }
            let key = item[..<equals].trimmingCharacters(in: .whitespaces)
            let value = item[item.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "t":
                guard timestamp == nil, let parsed = Int64(value) else { return nil }
                timestamp = parsed
            case "v1":
                // A v1 that is not 32 bytes of hex cannot match; skip it rather than reject its siblings.
                if let bytes = Hex.decode(value), bytes.count == 32 { signatures.append(bytes) }
            default:
                continue
            }
        }
        guard let timestamp, !signatures.isEmpty else { return nil }
        self.timestamp = timestamp
        self.signatures = signatures
    }
}
