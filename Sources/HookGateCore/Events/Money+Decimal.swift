extension Money {
    /// An amount from a provider's decimal string (`"49.00"`, `"-5.00"`, `"1000"`) in the currency's minor unit,
    /// converted exactly: digits are shifted by the currency's exponent, never passed through floating point.
    ///
    /// Nil when the text is not a plain decimal number, when it has non-zero digits below the currency's minor
    /// unit (`"1.005"` USD would have to be rounded, and a wrong amount is worse than none), or when it overflows.
    public init?(decimal text: String, currency: String?) {
        guard let currency, let shape = Money(minor: 0, currency: currency),
            let minor = Self.minorUnits(text, exponent: CurrencyExponent.of(shape.currency))
        else { return nil }
        self.init(minor: minor, currency: shape.currency)
    }

    static func minorUnits(_ text: String, exponent: Int) -> Int64? {
        var bytes = Substring(text).utf8[...]
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        let point = bytes.firstIndex(of: UInt8(ascii: "."))
        let whole = bytes[..<(point ?? bytes.endIndex)]
        let fraction = point.map { bytes[bytes.index(after: $0)...] } ?? bytes[bytes.endIndex...]
        guard !whole.isEmpty || !fraction.isEmpty, point == nil || !fraction.isEmpty else { return nil }
        guard fraction.dropFirst(exponent).allSatisfy({ $0 == UInt8(ascii: "0") }) else { return nil }
        var value: Int64 = 0
        let kept = Array(fraction.prefix(exponent))
        let digits = Array(whole) + kept + Array(repeating: UInt8(ascii: "0"), count: exponent - kept.count)
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(Int64(digit - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return negative ? -value : value
    }
}
