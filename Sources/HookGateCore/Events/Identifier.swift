import Foundation
import Synchronization

/// Time-sortable identifiers: a prefix plus a ULID (48-bit milliseconds, 80 random bits, Crockford base32).
///
/// Within one process ids made at the current time are strictly increasing, even inside one millisecond, so cursor
/// pagination by id never reorders rows written by this instance.
public enum Identifier {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
    private static let last = Mutex<(milliseconds: UInt64, random: (UInt16, UInt64))>((0, (0, 0)))

    /// `evt_01JD3Q0Z8V7N2K4M6P8R0T2W4Y`-style id.
    public static func make(prefix: String, now: Date = Date()) -> String {
        let nowMilliseconds = milliseconds(now)
        let (milliseconds, high, low) = last.withLock { state -> (UInt64, UInt16, UInt64) in
            if nowMilliseconds > state.milliseconds {
                let random = freshRandom()
                state = (nowMilliseconds, random)
                return (nowMilliseconds, random.0, random.1)
            }
            if state.milliseconds - nowMilliseconds > 1_000 {
                // Deliberately back-dated (not a clock step): honour the time and leave the sequence alone.
                let random = freshRandom()
                return (nowMilliseconds, random.0, random.1)
            }
            // Same millisecond, or a small clock step back: increment the random part to stay ordered (and skip
            // the system call for fresh randomness).
            var (high, low) = state.random
            low &+= 1
            if low == 0 { high &+= 1 }
            state.random = (high, low)
            return (state.milliseconds, high, low)
        }
        var bytes = [UInt8](prefix.utf8)
        bytes.reserveCapacity(prefix.utf8.count + 26)
        // 128 bits = 48-bit time | 16-bit high random | 64-bit low random, emitted as 26 base32 digits (130 bits).
        let upper = (milliseconds << 16) | UInt64(high)
        let lower = low
        for index in 0..<26 {
            let shift = 125 - index * 5  // bit offset of this digit within the 130-bit field
            let value: UInt64
            if shift >= 64 {
                value = (upper >> UInt64(shift - 64)) & 0x1F
            } else if shift > 59 {
                value = ((upper << UInt64(64 - shift)) | (lower >> UInt64(shift))) & 0x1F
            } else {
                value = (lower >> UInt64(shift)) & 0x1F
            }
            bytes.append(alphabet[Int(value)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// 79 random bits; the top bit of `high` stays clear so increments within a millisecond cannot overflow.
    private static func freshRandom() -> (UInt16, UInt64) {
        var generator = SystemRandomNumberGenerator()
        return (UInt16.random(in: 0...UInt16.max, using: &generator) & 0x7FFF, generator.next())
    }

    /// The id's 48-bit millisecond time: saturated, and the epoch for a time that is not a number, so that no date
    /// can trap.
    private static func milliseconds(_ date: Date) -> UInt64 {
        let value = date.timeIntervalSince1970 * 1_000
        guard value.isFinite else { return 0 }
        return UInt64(min(max(0, value), Double((1 << 48) - 1)))
    }

    /// The 10-character time part that every id made at `date` starts with (after its prefix), for turning a
    /// time window into an id range.
    public static func timeComponent(_ date: Date) -> String {
        let milliseconds = milliseconds(date)
        let digits = (0..<10).map { index in alphabet[Int((milliseconds >> UInt64(45 - index * 5)) & 0x1F)] }
        return String(decoding: digits, as: UTF8.self)
    }
}
