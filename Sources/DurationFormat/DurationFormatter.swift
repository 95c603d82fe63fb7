/// The one place where a `Duration` becomes text for people, in the style each purpose needs.
public enum DurationFormatter {
    /// How a duration is written.
    public enum Style: Sendable {
        /// Exact, every unit from days down: `1m30s`, `1s500ms`, `1.5ms`; for messages and reports.
        case compact
        /// One unit that `DurationParser.parse` accepts again: `90s`, `1500ms`, `3650d`; for option values.
        case argument
        /// The two largest units, rounded up to whole seconds: `45s`, `3m12s`, `2h5m`, `1d4h`; for waits.
        case approximate
    }

    /// `duration` written in `style`; negative durations get a leading `-`.
    public static func string(_ duration: Duration, _ style: Style = .compact) -> String {
        let attoseconds = duration.attoseconds
        if attoseconds == 0 { return "0s" }
        let sign = attoseconds < 0 ? "-" : ""
        let magnitude = attoseconds < 0 ? -attoseconds : attoseconds
        switch style {
        case .compact: return sign + compact(magnitude)
        case .argument: return sign + argument(magnitude)
        case .approximate: return sign + approximate(magnitude)
        }
    }

    private static func compact(_ attoseconds: Int128) -> String {
        var remaining = attoseconds
        var text = ""
        for (suffix, size) in DurationParser.units where suffix != "ms" && remaining >= size {
            text += "\(remaining / size)\(suffix)"
            remaining %= size
        }
        return remaining > 0 ? text + milliseconds(remaining) : text
    }

    private static func argument(_ attoseconds: Int128) -> String {
        guard let (suffix, size) = DurationParser.units.first(where: { attoseconds % $0.attoseconds == 0 }) else {
            return milliseconds(attoseconds)
        }
        return "\(attoseconds / size)\(suffix)"
    }

    // A wait is read at a glance: what is left below the second largest unit does not change a decision.
    private static func approximate(_ attoseconds: Int128) -> String {
        let second: Int128 = 1_000_000_000_000_000_000
        let seconds = (attoseconds + second - 1) / second
        switch seconds {
        case ..<60: return "\(seconds)s"
        case ..<3600: return "\(seconds / 60)m\(seconds % 60)s"
        case ..<86_400: return "\(seconds / 3600)h\((seconds % 3600) / 60)m"
        default: return "\(seconds / 86_400)d\((seconds % 86_400) / 3600)h"
        }
    }

    // Sub-millisecond precision shows as a decimal fraction of a millisecond, e.g. "1.5ms".
    private static func milliseconds(_ attoseconds: Int128) -> String {
        let millisecond: Int128 = 1_000_000_000_000_000
        var text = "\(attoseconds / millisecond)"
        let fraction = attoseconds % millisecond
        if fraction > 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: 15 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            text += ".\(digits)"
        }
        return text + "ms"
    }
}
