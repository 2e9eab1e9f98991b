import Foundation

/// An id kept verbatim as a string, whether the provider sent it as a JSON string or a number (Shopify's and
/// WooCommerce's ids are integers; DESIGN.md §6 keeps every provider id as a string).
struct ProviderID: Decodable, Sendable {
    let text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            text = string
        } else if let integer = try? container.decode(Int64.self) {
            text = String(integer)
        } else {
            text = String(try container.decode(UInt64.self))
        }
    }
}

/// A decimal amount as text, from a JSON string (`"49.00"`, as every provider documents) or, defensively, a JSON
/// number read as `Decimal` so that its digits survive; converted with ``Money/init(decimal:currency:)``.
struct DecimalText: Decodable, Sendable {
    let text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            text = string
        } else {
            text = "\(try container.decode(Decimal.self))"
        }
    }
}
