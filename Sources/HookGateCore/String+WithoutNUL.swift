extension String {
    /// The string with each NUL made U+FFFD. PostgreSQL's `text` refuses NUL, which a Swift string may hold (a JSON
    /// `\u0000` in a provider's id, a destination's binary answer), and C-string readers stop at it; so no value's
    /// content can make its row unstorable or cut short.
    public var withoutNUL: String {
        guard utf8.contains(0) else { return self }
        return String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\u{0}" ? "\u{FFFD}" : $0 }))
    }
}
