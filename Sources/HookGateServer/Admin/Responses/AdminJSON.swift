import Foundation

/// How the admin API writes its response types.
enum AdminJSON {
    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        // URLs read as they were given, not as `https:\/\/…`.
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }
}
