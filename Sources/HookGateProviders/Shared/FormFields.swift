import HookGateCore

/// An `application/x-www-form-urlencoded` body as decoded name/value byte strings, in arrival order.
///
/// Kept as bytes: Twilio signs the decoded bytes, so nothing may be lost to a String round trip. Parsing never
/// fails; as in the form parsers the providers' SDKs rely on, a `%` not followed by two hex digits stays literal
/// and a field without `=` has an empty value.
struct FormFields {
    struct Field {
        let name: [UInt8]
        let value: [UInt8]
    }

    let fields: [Field]

    init<Bytes: Collection>(_ body: Bytes) where Bytes.Element == UInt8 {
        var fields: [Field] = []
        for pair in body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = pair.firstIndex(of: UInt8(ascii: "="))
            let name = pair[..<(equals ?? pair.endIndex)]
            let value = equals.map { pair[pair.index(after: $0)...] } ?? pair[pair.endIndex...]
            fields.append(Field(name: Self.decode(name), value: Self.decode(value)))
        }
        self.fields = fields
    }

    /// The first value of `name`, as text.
    subscript(name: String) -> String? {
        let key = Array(name.utf8)
        return fields.first { $0.name == key }.map { String(decoding: $0.value, as: UTF8.self) }
    }

    /// Every field as text, first value of each name, for normalizers.
    var firstValues: [String: String] {
        var values: [String: String] = [:]
        for field in fields {
            let name = String(decoding: field.name, as: UTF8.self)
            if values[name] == nil { values[name] = String(decoding: field.value, as: UTF8.self) }
        }
        return values
    }

    private static func decode<Bytes: Collection>(_ encoded: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(encoded.count)
        var index = encoded.startIndex
        while index != encoded.endIndex {
            let byte = encoded[index]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), let high = encoded.index(index, offsetBy: 1, limitedBy: encoded.endIndex),
                high != encoded.endIndex, let low = encoded.index(high, offsetBy: 1, limitedBy: encoded.endIndex),
                low != encoded.endIndex, let h = Hex.nibble(encoded[high]), let l = Hex.nibble(encoded[low])
            {
                out.append(h << 4 | l)
                index = low
            } else {
                out.append(byte)
            }
            index = encoded.index(after: index)
        }
        return out
    }
}
