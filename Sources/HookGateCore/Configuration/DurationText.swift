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
}
