import Foundation

/// RFC 3339 UTC formatting without Foundation formatters, which are slow and not thread-safe to share, and the
/// range of times HookGate takes from providers and stores.
public enum Timestamp {
    /// What RFC 3339 can write and common parsers read: 0001-01-01T00:00:00Z … 9999-12-31T23:59:59.999Z.
    public static let writable = Date(timeIntervalSince1970: -62_135_596_800)...Date(timeIntervalSince1970: 253_402_300_799.999)

    /// The times a provider's payload may set: 1970-01-01 … 9999-12-31 (UTC). No provider here sends an event from
    /// before the epoch; a value outside is a bug or an attack, and gives way to the receipt time.
    public static let providerRange = Date(timeIntervalSince1970: 0)...writable.upperBound

    /// `date` when it is in ``providerRange``, else nil.
    public static func providerTime(_ date: Date) -> Date? {
        providerRange.contains(date) ? date : nil
    }

    /// Seconds since the epoch as a provider time; nil outside ``providerRange``.
    public static func providerTime(unixSeconds seconds: Int64) -> Date? {
        providerTime(Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// The date moved into ``writable`` (a time that is not a number goes to the epoch): encoders saturate rather
    /// than trap on a value no provider should send.
    public static func saturated(_ date: Date) -> Date {
        let seconds = date.timeIntervalSince1970
        guard seconds.isFinite else { return Date(timeIntervalSince1970: 0) }
        return min(max(date, writable.lowerBound), writable.upperBound)
    }

    /// `2026-11-21T10:15:00Z`, or with milliseconds: `2026-11-21T10:15:00.123Z`; dates outside ``writable`` are
    /// written as its nearer end.
    public static func rfc3339(_ date: Date, milliseconds: Bool = false) -> String {
        let totalMilliseconds = Int64((saturated(date).timeIntervalSince1970 * 1_000).rounded(.down))
        let seconds = totalMilliseconds.floorDivided(by: 1_000)
        let millis = Int(totalMilliseconds - seconds * 1_000)
        let days = seconds.floorDivided(by: 86_400)
        let secondOfDay = Int(seconds - days * 86_400)
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
        text += pad(secondOfDay / 3_600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        if milliseconds { text += "." + pad(millis, 3) }
        return text + "Z"
    }

    /// Parses RFC 3339 (`Z` or a numeric offset, optional fraction); nil when malformed.
    public static func parse(_ text: String) -> Date? {
        let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        let plain = Date.ISO8601FormatStyle()
        return (try? withFraction.parse(text)) ?? (try? plain.parse(text))
    }

    /// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian).
    private static func civilDate(daysSinceEpoch: Int64) -> (Int, Int, Int) {
        let z = daysSinceEpoch + 719_468
        let era = z.floorDivided(by: 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
