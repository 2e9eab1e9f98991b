import HTTPTypes

/// A fuzz input as a request: optional header lines (`Name: value`), an empty line, then the body. An input with
/// no empty line is all body. Lines that are not a valid HTTP field are skipped, so every byte string is an input.
struct FuzzInput {
    /// At most this many header lines are read: more would only slow the fuzzer down, not reach new code.
    static let maximumHeaders = 32

    var headers: [(name: HTTPField.Name, value: String)] = []
    var body: [UInt8]

    init(_ bytes: UnsafeRawBufferPointer) {
        let all = Array(bytes)
        guard let split = Self.headerEnd(all) else {
            body = all
            return
        }
        body = Array(all[(split + 2)...])
        for line in all[..<split].split(separator: UInt8(ascii: "\n")).prefix(Self.maximumHeaders) {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")),
                let name = HTTPField.Name(String(decoding: line[..<colon], as: UTF8.self))
            else { continue }
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingSpaces
            guard HTTPField.isValidValue(value) else { continue }
            headers.append((name, value))
        }
    }

    /// The index of the `\n\n` that ends the header block, if there is one.
    private static func headerEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 2 else { return nil }
        for index in 0..<(bytes.count - 1) where bytes[index] == UInt8(ascii: "\n") && bytes[index + 1] == UInt8(ascii: "\n") {
            return index
        }
        return nil
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).reversed())
    }
}
