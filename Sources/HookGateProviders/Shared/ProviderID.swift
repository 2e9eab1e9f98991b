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
