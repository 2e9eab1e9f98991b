import Foundation

/// Durations written as a number and a unit: `0s`, `250ms`, `5s`, `5m`, `2h`, `1d` (config schedules, `--since 2h`).
public enum DurationText {
    private static let units: [(suffix: String, milliseconds: Int64)] = [("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]

    /// Nil unless the text is a non-negative whole number followed by one of the units, up to a year.
    public static func parse(_ text: String) -> Duration? {
        for unit in units where text.hasSuffix(unit.suffix) {
            if let value = Int64(text.dropLast(unit.suffix.count)), value >= 0, value <= 365 * 86_400_000 / unit.milliseconds {
                return .milliseconds(value * unit.milliseconds)
            }
        }
        return nil
    }

    /// A duration the way people say it, to the two largest units: `45 s`, `5 min`, `1 min 30 s`, `2 h 30 min`,
    /// `30 d`.
    public static func spoken(_ seconds: TimeInterval) -> String {
        let total = Int(seconds.rounded())
        let units = [("d", 86_400), ("h", 3_600), ("min", 60), ("s", 1)]
        guard let first = units.firstIndex(where: { total >= $0.1 }) else { return "0 s" }
        let (unit, size) = units[first]
        var text = "\(total / size) \(unit)"
        if first + 1 < units.count {
            let (next, nextSize) = units[first + 1]
            let rest = (total % size) / nextSize
            if rest > 0 { text += " \(rest) \(next)" }
        }
        return text
    }
}
