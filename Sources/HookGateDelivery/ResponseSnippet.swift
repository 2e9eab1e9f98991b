import HookGateCore

/// What a destination answered, made into text that every backend stores, whatever bytes the peer sent.
///
/// PostgreSQL's `text` refuses NUL and invalid UTF-8, and one unstorable outcome must never keep a delivery from
/// being recorded (it would be sent again after its lease, for ever). So invalid UTF-8 becomes U+FFFD, as does NUL,
/// and the result is cut at a character boundary to at most `limit` bytes of UTF-8: the replacement characters can
/// make a binary body three times longer than its bytes.
enum ResponseSnippet {
    static func text(_ bytes: some Collection<UInt8>, limit: Int) -> String? {
        guard !bytes.isEmpty else { return nil }
        let text = String(decoding: bytes, as: UTF8.self).withoutNUL
        guard text.utf8.count > limit else { return text }
        var kept = 0
        var end = text.startIndex
        for character in text {
            let size = character.utf8.count
            guard kept + size <= limit else { break }
            kept += size
            end = text.index(after: end)
        }
        return String(text[..<end])
    }
}
