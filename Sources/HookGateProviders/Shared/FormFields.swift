import HookGateCore

/// An `application/x-www-form-urlencoded` body as decoded name/value byte strings, in arrival order.
///
/// Kept as bytes: Twilio signs the decoded bytes, so nothing may be lost to a String round trip. Parsing never
/// fails; as in the form parsers the providers' SDKs rely on, a `%` not followed by two hex digits stays literal
/// and a field without `=` has an empty value. It runs on every Twilio request, so it walks contiguous memory
/// directly rather than through generic collection splitting.
struct FormFields {
    struct Field {
        let name: [UInt8]
        let value: [UInt8]
    }

    /// The most fields read: no provider sends more than a few dozen, and a hostile form of half a million empty
    /// fields must not be sorted whole.
    static let maxFields = 1_024

    /// At most ``maxFields``.
    let fields: [Field]
    /// False when the form had more fields than were read: a signature over it cannot be checked.
    let isComplete: Bool

    init<Bytes: Collection>(_ body: Bytes) where Bytes.Element == UInt8 {
        (fields, isComplete) = body.withContiguousStorageIfAvailable(Self.parse) ?? Array(body).withUnsafeBufferPointer(Self.parse)
    }

    /// The first value of `name`, as text.
    subscript(name: String) -> String? {
        let key = Array(name.utf8)
        return fields.first { $0.name == key }.map { String(decoding: $0.value, as: UTF8.self) }
    }

    /// Every field as text, first value of each name, for normalizers.
    var firstValues: [String: String] {
        var values: [String: String] = [:]
        values.reserveCapacity(fields.count)
        for field in fields {
            let name = String(decoding: field.name, as: UTF8.self)
            if values[name] == nil { values[name] = String(decoding: field.value, as: UTF8.self) }
        }
        return values
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> ([Field], complete: Bool) {
        var fields: [Field] = []
        var start = 0
        while start <= bytes.count {
            if fields.count == maxFields { return (fields, bytes[start...].allSatisfy { $0 == UInt8(ascii: "&") }) }
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "&") { end += 1 }
            if end > start {
                var equals = start
                while equals < end && bytes[equals] != UInt8(ascii: "=") { equals += 1 }
                let name = decode(UnsafeBufferPointer(rebasing: bytes[start..<equals]))
                let value = equals < end ? decode(UnsafeBufferPointer(rebasing: bytes[(equals + 1)..<end])) : []
                fields.append(Field(name: name, value: value))
            }
            start = end + 1
        }
        return (fields, true)
    }

    private static func decode(_ encoded: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        guard encoded.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else { return Array(encoded) }
        var out: [UInt8] = []
        out.reserveCapacity(encoded.count)
        var index = 0
        while index < encoded.count {
            let byte = encoded[index]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < encoded.count,
                let high = Hex.nibble(encoded[index + 1]), let low = Hex.nibble(encoded[index + 2])
            {
                out.append(high << 4 | low)
                index += 2
            } else {
                out.append(byte)
            }
            index += 1
        }
        return out
    }
}
