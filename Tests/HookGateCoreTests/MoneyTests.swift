import Testing

@testable import HookGateCore

@Suite("Money from decimal strings")
struct MoneyTests {
    @Test(
        "examples",
        arguments: [
            ("49.00", "usd", Int64(4_900), "USD"), ("0.99", "EUR", 99, "EUR"), ("-5.00", "USD", -500, "USD"), ("+1", "USD", 100, "USD"),
            (".5", "USD", 50, "USD"), ("1000", "JPY", 1_000, "JPY"), ("15800.00", "JPY", 15_800, "JPY"), ("12.750", "KWD", 12_750, "KWD"),
            ("12.75", "KWD", 12_750, "KWD"), ("7", "BHD", 7_000, "BHD"), ("0.0001", "CLF", 1, "CLF"), ("1.5000", "USD", 150, "USD"),
        ])
    func examples(text: String, currency: String, minor: Int64, code: String) {
        #expect(Money(decimal: text, currency: currency) == Money(minor: minor, currency: code))
    }

    @Test(
        "refused rather than rounded or guessed",
        arguments: [
            ("1.005", "USD"), ("10.5", "JPY"), ("1.0001", "KWD"), ("", "USD"), (".", "USD"), ("1.", "USD"), ("-", "USD"), ("1,00", "EUR"),
            ("1e3", "USD"), (" 1.00", "USD"), ("1.00 ", "USD"), ("--1", "USD"), ("0x10", "USD"), ("99999999999999999.99", "USD"),
            ("92233720368547758.08", "USD"), ("1.00", nil), ("1.00", "US"), ("1.00", "U$D"),
        ] as [(String, String?)])
    func refused(text: String, currency: String?) {
        #expect(Money(decimal: text, currency: currency) == nil)
    }

    @Test("property: formatting any amount with the currency's exponent and parsing it back is the identity")
    func roundTrip() {
        var generator = SystemRandomNumberGenerator()
        for currency in ["USD", "JPY", "KWD", "CLF", "EUR", "BHD", "ISK"] {
            let exponent = CurrencyExponent.of(currency)
            for _ in 0..<2_000 {
                let minor = Int64.random(in: -999_999_999_999...999_999_999_999, using: &generator)
                let extraZeros = Int.random(in: 0...3, using: &generator)
                let text =
                    Self.format(minor, exponent: exponent) + (exponent > 0 || extraZeros == 0 ? "" : ".") + String(repeating: "0", count: extraZeros)
                #expect(Money(decimal: text, currency: currency) == Money(minor: minor, currency: currency), "\(text) \(currency)")
            }
        }
    }

    @Test("property: a non-zero digit below the minor unit is never silently dropped")
    func noRounding() {
        var generator = SystemRandomNumberGenerator()
        for currency in ["USD", "JPY", "KWD"] {
            let exponent = CurrencyExponent.of(currency)
            for _ in 0..<1_000 {
                let minor = Int64.random(in: 0...9_999_999, using: &generator)
                let base = Self.format(minor, exponent: exponent)
                let text = base + (exponent == 0 ? "." : "") + String(Int.random(in: 1...9, using: &generator))
                #expect(Money(decimal: text, currency: currency) == nil, "\(text) \(currency)")
            }
        }
    }

    @Test("ISO 4217 exponents")
    func exponents() {
        #expect(CurrencyExponent.of("USD") == 2)
        #expect(CurrencyExponent.of("JPY") == 0)
        #expect(CurrencyExponent.of("KRW") == 0)
        #expect(CurrencyExponent.of("KWD") == 3)
        #expect(CurrencyExponent.of("TND") == 3)
        #expect(CurrencyExponent.of("CLF") == 4)
    }

    /// Plain decimal text for `minor` with `exponent` fraction digits, written independently of the parser.
    static func format(_ minor: Int64, exponent: Int) -> String {
        let digits = String(minor.magnitude)
        let padded = String(repeating: "0", count: max(0, exponent + 1 - digits.count)) + digits
        let sign = minor < 0 ? "-" : ""
        guard exponent > 0 else { return sign + padded }
        return sign + padded.dropLast(exponent) + "." + padded.suffix(exponent)
    }
}
