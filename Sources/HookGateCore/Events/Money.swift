/// An amount in the currency's minor unit with an upper-case ISO 4217 code: `{"minor": 2000, "currency": "USD"}`.
public struct Money: Sendable, Equatable {
    public var minor: Int64
    public var currency: String

    /// Nil when the currency is missing or not three letters, so a bad payload never yields a wrong amount.
    public init?(minor: Int64, currency: String?) {
        guard let currency, currency.utf8.count == 3, currency.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("A"..."Z").contains($0) })
        else { return nil }
        self.minor = minor
        self.currency = currency.uppercased()
    }

    public var json: JSONValue {
        .object(["minor": .int(minor), "currency": .string(currency)])
    }
}
