/// Parses and formats the compact durations used on the command line: `250ms`, `3s`, `1.5m`, `24h`, `1d`.
public enum DurationParser {
    /// Units from largest to smallest, in attoseconds, so arithmetic stays exact.
    static let units: [(suffix: String, attoseconds: Int128)] = [
        ("d", 86_400 * 1_000_000_000_000_000_000),
        ("h", 3_600 * 1_000_000_000_000_000_000),
        ("m", 60 * 1_000_000_000_000_000_000),
        ("s", 1_000_000_000_000_000_000),
        ("ms", 1_000_000_000_000_000),
    ]

    /// Durations longer than `Int64.max` nanoseconds (~292 years) are rejected so that
    /// callers can convert to nanoseconds without overflow.
    static let maximumAttoseconds = Int128(Int64.max) * 1_000_000_000

    /// What a text is as a duration: valid, or why not.
    enum Outcome: Equatable {
        case duration(Duration)
        case malformed
        /// Well-formed but beyond `Int64.max` nanoseconds.
        case tooLong
    }

    /// Parses `<number><unit>` with unit ms, s, m, h or d and an optional decimal fraction;
    /// nil for no unit, a sign, garbage, overflow, or zero unless `allowZero`.
    public static func parse(_ text: String, allowZero: Bool = false) -> Duration? {
        guard case .duration(let duration) = classify(text), duration > .zero || allowZero else { return nil }
        return duration
    }

    static func classify(_ text: String) -> Outcome {
        let bytes = Array(text.utf8)
        var start = 0
        var end = bytes.count
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }

        var index = start
        var integerDigits: [UInt8] = []
        while index < end, isDigit(bytes[index]) {
            integerDigits.append(bytes[index] - 48)
            index += 1
        }
        guard !integerDigits.isEmpty else { return .malformed }
        var fractionDigits: [UInt8] = []
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < end, isDigit(bytes[index]) {
                fractionDigits.append(bytes[index] - 48)
                index += 1
            }
            guard !fractionDigits.isEmpty else { return .malformed }
        }
        let suffix = String(decoding: bytes[index..<end], as: UTF8.self)
        guard let unit = units.first(where: { $0.suffix == suffix })?.attoseconds else { return .malformed }

        // Leading zeros carry no magnitude; beyond 15 significant digits the result
        // overflows the maximum anyway, and 15 fraction digits exceed attosecond precision.
        let significant = integerDigits.drop(while: { $0 == 0 })
        guard significant.count <= 15 else { return .tooLong }
        let integer = significant.reduce(Int128(0)) { $0 * 10 + Int128($1) }
        var attoseconds = integer * unit
        var scale: Int128 = 1
        var fraction: Int128 = 0
        for digit in fractionDigits.prefix(15) {
            fraction = fraction * 10 + Int128(digit)
            scale *= 10
        }
        attoseconds += fraction * unit / scale

        guard attoseconds <= maximumAttoseconds else { return .tooLong }
        return .duration(Duration(attoseconds: attoseconds))
    }

    /// Formats compactly for messages: `3s`, `1m`, `1d`, `1m30s`, `250ms`.
    public static func format(_ duration: Duration) -> String {
        var remaining = duration.attoseconds
        if remaining == 0 { return "0s" }
        var text = ""
        if remaining < 0 {
            text = "-"
            remaining = -remaining
        }
        for (suffix, size) in units where remaining >= size {
            if suffix == "ms" { break }
            text += "\(remaining / size)\(suffix)"
            remaining %= size
        }
        if remaining > 0 {
            text += formatMilliseconds(remaining)
        }
        return text
    }

    /// A single-unit rendering that `parse` accepts again, e.g. `90s` rather than `1m30s`.
    static func formatSingleUnit(_ duration: Duration) -> String {
        let attoseconds = duration.attoseconds
        if attoseconds == 0 { return "0s" }
        let sign = attoseconds < 0 ? "-" : ""
        let magnitude = attoseconds < 0 ? -attoseconds : attoseconds
        if let (suffix, size) = units.first(where: { magnitude % $0.attoseconds == 0 }) {
            return "\(sign)\(magnitude / size)\(suffix)"
        }
        return sign + formatMilliseconds(magnitude)
    }

    // Sub-millisecond precision shows as a decimal fraction of a millisecond, e.g. "1.5ms".
    private static func formatMilliseconds(_ attoseconds: Int128) -> String {
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

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }
}
