import Foundation

/// Standard base64 (with padding), as Twilio, Shopify and WooCommerce encode their signatures.
enum Base64 {
    /// Nil when `text` is not valid base64.
    static func decode(_ text: String) -> [UInt8]? {
        Data(base64Encoded: text).map(Array.init)
    }

    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }
}
