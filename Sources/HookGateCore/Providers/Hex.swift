/// Lower-case hex without Foundation formatting (`String(format:)` is slow).
///
/// Inlinable so that each caller gets a version specialized for its byte collection: across modules a generic
/// function otherwise walks the bytes through protocol witnesses, one call per byte.
public enum Hex {
    @usableFromInline static let digits = Array("0123456789abcdef".utf8)

    @inlinable
    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes upper- or lower-case hex; nil for odd length or a non-hex character.
    @inlinable
    public static func decode<Text: StringProtocol>(_ text: Text) -> [UInt8]? {
        decode(utf8: text.utf8)
    }

    /// Decodes hex given as UTF-8 bytes, such as a slice of a header being parsed, without making a string of it.
    @inlinable
    public static func decode<Bytes: Collection<UInt8>>(utf8: Bytes) -> [UInt8]? {
        guard utf8.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let next = utf8.index(after: index)
            guard let high = nibble(utf8[index]), let low = nibble(utf8[next]) else { return nil }
            out.append(high << 4 | low)
            index = utf8.index(after: next)
        }
        return out
    }

    /// The value of one hex digit, either case; nil for any other byte.
    @inlinable
    public static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
