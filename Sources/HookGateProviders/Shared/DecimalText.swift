import Foundation

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
