import Foundation

/// Replay window for schemes that sign a timestamp (Stripe, Customer.io).
enum SignedTimestamp {
    /// True when `seconds` is within `tolerance` of `now` in either direction: a timestamp far in the future is as
    /// suspicious as a stale one.
    static func isFresh(_ seconds: Int64, now: Date, toleranceSeconds: Int64) -> Bool {
        let (difference, overflow) = Int64(now.timeIntervalSince1970).subtractingReportingOverflow(seconds)
        return !overflow && difference.magnitude <= toleranceSeconds.magnitude
    }

    /// Unix seconds from decimal digits only (no sign, no spaces, at most 18 digits); nil otherwise.
    static func parse<Digits: Collection>(_ digits: Digits) -> Int64? where Digits.Element == UInt8 {
        guard !digits.isEmpty, digits.count <= 18 else { return nil }
        var value: Int64 = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            value = value * 10 + Int64(digit - UInt8(ascii: "0"))
        }
        return value
    }
}
