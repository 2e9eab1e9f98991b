import Foundation
import NIOCore

/// A parsed JSON document for reading a few members out of a provider's payload on the ingest hot path.
///
/// One pass over the bytes records every value as a token (kind and byte offsets) in one array; nothing is decoded
/// until it is read, and a key is compared in place. Foundation's `JSONDecoder` with `Codable` types spent most of its
/// time in keyed-container machinery, not in scanning (a tenth of the gateway's CPU per Stripe webhook in `perf`).
///
/// Parsing is strict about structure (RFC 8259 grammar, nothing after the value, nesting at most 512 deep) and
/// lenient about reading: asking a value for a type it does not have gives nil, so a field of an unexpected type reads
/// as absent instead of failing the document.
public struct JSONTape: Sendable {
    fileprivate enum Kind: UInt8 {
        case object, array, string, escapedString, number, integer, `true`, `false`, null
    }

    /// For strings and numbers, `start..<end` are the bytes between the quotes or of the number; for containers,
    /// `end` is the index of the first token after the container's contents.
    fileprivate struct Token {
        var kind: Kind
        var start: Int32
        var end: Int32
    }

    fileprivate let bytes: ByteBuffer
    fileprivate let tokens: [Token]

    /// Parses `bytes`; nil when they are not exactly one JSON value (surrounding whitespace allowed).
    public init?(parsing bytes: ByteBuffer) {
        guard bytes.readableBytes < Int32.max,
            let tokens = bytes.withUnsafeReadableBytes({ buffer -> [Token]? in
                var parser = Parser(bytes: buffer)
                return parser.document()
            })
        else { return nil }
        self.bytes = bytes
        self.tokens = tokens
    }

    /// The document's top-level value.
    public var root: Value { Value(tape: self, index: 0) }

    /// One value of the document.
    public struct Value: Sendable {
        fileprivate let tape: JSONTape
        fileprivate let index: Int

        private var token: Token { tape.tokens[index] }

        /// The member named `key`, if this is an object that has one (the first, if it has several).
        public subscript(key: String) -> Value? {
            guard token.kind == .object else { return nil }
            var key = key
            return key.withUTF8 { wanted in
                var member = index + 1
                let end = Int(token.end)
                while member < end {
                    if tape.matches(member, wanted) { return Value(tape: tape, index: member + 1) }
                    member = tape.next(after: member + 1)
                }
                return nil
            }
        }

        /// The array's first element, if this is a non-empty array.
        public var first: Value? {
            guard token.kind == .array, Int(token.end) > index + 1 else { return nil }
            return Value(tape: tape, index: index + 1)
        }

        public var string: String? {
            switch token.kind {
            case .string: tape.text(token)
            case .escapedString: tape.unescaped(token)
            default: nil
            }
        }

        /// The number, when it is an integer that fits (no fraction, no exponent).
        public var int64: Int64? {
            guard token.kind == .integer else { return nil }
            return tape.bytes.withUnsafeReadableBytes { buffer in
                var value: Int64 = 0
                let negative = buffer[Int(token.start)] == UInt8(ascii: "-")
                for offset in Int(token.start) + (negative ? 1 : 0)..<Int(token.end) {
                    let digit = Int64(buffer[offset] &- UInt8(ascii: "0"))
                    let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
                    let (next, overflow2) = negative ? times10.subtractingReportingOverflow(digit) : times10.addingReportingOverflow(digit)
                    if overflow1 || overflow2 { return nil }
                    value = next
                }
                return value
            }
        }

        public var bool: Bool? {
            switch token.kind {
            case .true: true
            case .false: false
            default: nil
            }
        }

        public var isNull: Bool { token.kind == .null }
        public var isObject: Bool { token.kind == .object }
    }

    /// The index of the token after the value at `index` (skipping a container's contents).
    fileprivate func next(after index: Int) -> Int {
        switch tokens[index].kind {
        case .object, .array: Int(tokens[index].end)
        default: index + 1
        }
    }

    /// Whether the key token at `index` spells `wanted`.
    fileprivate func matches(_ index: Int, _ wanted: UnsafeBufferPointer<UInt8>) -> Bool {
        let token = tokens[index]
        if token.kind == .escapedString { return Array(unescaped(token).utf8).elementsEqual(wanted) }
        guard Int(token.end - token.start) == wanted.count else { return false }
        return bytes.withUnsafeReadableBytes { buffer in
            wanted.count == 0 || memcmp(buffer.baseAddress! + Int(token.start), wanted.baseAddress!, wanted.count) == 0
        }
    }

    fileprivate func text(_ token: Token) -> String {
        bytes.withUnsafeReadableBytes { buffer in
            String(decoding: UnsafeRawBufferPointer(rebasing: buffer[Int(token.start)..<Int(token.end)]), as: UTF8.self)
        }
    }

    fileprivate func unescaped(_ token: Token) -> String {
        bytes.withUnsafeReadableBytes { buffer in
            var scalars = String.UnicodeScalarView()
            var utf8: [UInt8] = []
            var offset = Int(token.start)
            let end = Int(token.end)
            func flush() {
                scalars.append(contentsOf: String(decoding: utf8, as: UTF8.self).unicodeScalars)
                utf8.removeAll(keepingCapacity: true)
            }
            while offset < end {
                let byte = buffer[offset]
                guard byte == UInt8(ascii: "\\") else {
                    utf8.append(byte)
                    offset += 1
                    continue
                }
                let escape = buffer[offset + 1]
                offset += 2
                switch escape {
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    var unit = Self.hex4(buffer, offset)
                    offset += 4
                    if (0xD800..<0xDC00).contains(unit), offset + 6 <= end, buffer[offset] == UInt8(ascii: "\\"),
                        buffer[offset + 1] == UInt8(ascii: "u")
                    {
                        let low = Self.hex4(buffer, offset + 2)
                        if (0xDC00..<0xE000).contains(low) {
                            unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                            offset += 6
                        }
                    }
                    flush()
                    // A lone surrogate is not a scalar; it reads as U+FFFD, as invalid UTF-8 does.
                    scalars.append(Unicode.Scalar(unit) ?? "\u{FFFD}")
                default: utf8.append(escape)  // \" \\ \/
                }
            }
            flush()
            return String(scalars)
        }
    }

    private static func hex4(_ buffer: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        (0..<4).reduce(0) { value, index in value << 4 | UInt32(Hex.nibble(buffer[offset + index]) ?? 0) }
    }
}

/// Recursive descent over the bytes, appending tokens in document order.
private struct Parser {
    let bytes: UnsafeRawBufferPointer
    var offset = 0
    var tokens: [JSONTape.Token] = []
    static let maximumDepth = 512

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        tokens.reserveCapacity(bytes.count / 8)
    }

    mutating func document() -> [JSONTape.Token]? {
        skipWhitespace()
        guard value(depth: 0) else { return nil }
        skipWhitespace()
        return offset == bytes.count ? tokens : nil
    }

    private mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): offset += 1
            default: return
            }
        }
    }

    private mutating func value(depth: Int) -> Bool {
        guard offset < bytes.count, depth < Self.maximumDepth else { return false }
        switch bytes[offset] {
        case UInt8(ascii: "{"): return container(close: UInt8(ascii: "}"), kind: .object, depth: depth)
        case UInt8(ascii: "["): return container(close: UInt8(ascii: "]"), kind: .array, depth: depth)
        case UInt8(ascii: "\""): return string()
        case UInt8(ascii: "t"): return literal("true", .true)
        case UInt8(ascii: "f"): return literal("false", .false)
        case UInt8(ascii: "n"): return literal("null", .null)
        default: return number()
        }
    }

    private mutating func container(close: UInt8, kind: JSONTape.Kind, depth: Int) -> Bool {
        let token = tokens.count
        tokens.append(.init(kind: kind, start: Int32(offset), end: 0))
        offset += 1
        skipWhitespace()
        if offset < bytes.count, bytes[offset] == close {
            offset += 1
            tokens[token].end = Int32(tokens.count)
            return true
        }
        while true {
            if kind == .object {
                guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\""), string() else { return false }
                skipWhitespace()
                guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else { return false }
                offset += 1
                skipWhitespace()
            }
            guard value(depth: depth + 1) else { return false }
            skipWhitespace()
            guard offset < bytes.count else { return false }
            if bytes[offset] == UInt8(ascii: ",") {
                offset += 1
                skipWhitespace()
            } else if bytes[offset] == close {
                offset += 1
                tokens[token].end = Int32(tokens.count)
                return true
            } else {
                return false
            }
        }
    }

    private mutating func string() -> Bool {
        offset += 1
        let start = offset
        var escaped = false
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                tokens.append(.init(kind: escaped ? .escapedString : .string, start: Int32(start), end: Int32(offset)))
                offset += 1
                return true
            }
            guard byte >= 0x20 else { return false }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                guard offset + 1 < bytes.count else { return false }
                switch bytes[offset + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    offset += 2
                case UInt8(ascii: "u"):
                    guard offset + 5 < bytes.count, (2..<6).allSatisfy({ Hex.nibble(bytes[offset + $0]) != nil }) else { return false }
                    offset += 6
                default:
                    return false
                }
            } else {
                offset += 1
            }
        }
        return false
    }

    private mutating func literal(_ word: StaticString, _ kind: JSONTape.Kind) -> Bool {
        let count = word.utf8CodeUnitCount
        guard offset + count <= bytes.count,
            memcmp(bytes.baseAddress! + offset, word.utf8Start, count) == 0
        else { return false }
        tokens.append(.init(kind: kind, start: Int32(offset), end: Int32(offset + count)))
        offset += count
        return true
    }

    private mutating func number() -> Bool {
        let start = offset
        var integer = true
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        guard offset < bytes.count, isDigit(bytes[offset]) else { return false }
        if bytes[offset] == UInt8(ascii: "0") { offset += 1 } else { skipDigits() }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            integer = false
            offset += 1
            guard offset < bytes.count, isDigit(bytes[offset]) else { return false }
            skipDigits()
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E") {
            integer = false
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            guard offset < bytes.count, isDigit(bytes[offset]) else { return false }
            skipDigits()
        }
        tokens.append(.init(kind: integer ? .integer : .number, start: Int32(start), end: Int32(offset)))
        return true
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func skipDigits() {
        while offset < bytes.count, isDigit(bytes[offset]) { offset += 1 }
    }
}
