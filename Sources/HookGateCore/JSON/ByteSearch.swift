/// Finding a byte string inside raw bytes, for code that runs per request or per delivery: the generic
/// `firstRange(of:)` over collection views goes through unspecialized generics and metadata lookups, and showed up
/// in `perf` at a tenth of the delivery loop.
public enum ByteSearch {
    /// Where `needle` first starts in `haystack`, or nil.
    public static func firstIndex(of needle: [UInt8], in haystack: UnsafeRawBufferPointer) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            guard let hit = haystack[index...last].firstIndex(of: first) else { return nil }
            if needle.indices.allSatisfy({ haystack[hit + $0] == needle[$0] }) { return hit }
            index = hit + 1
        }
        return nil
    }
}
