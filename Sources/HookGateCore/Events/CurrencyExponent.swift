/// ISO 4217 minor-unit exponents: how many decimal places an amount in the currency has.
public enum CurrencyExponent {
    /// Currencies whose exponent is not 2 (ISO 4217 list one, current edition); every other code has 2.
    private static let exceptions: [String: Int] = [
        "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0, "RWF": 0,
        "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
        "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
        "CLF": 4, "UYW": 4,
    ]

    /// The exponent of an upper-case ISO 4217 code.
    public static func of(_ currency: String) -> Int {
        exceptions[currency] ?? 2
    }
}
