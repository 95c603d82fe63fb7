/// Parses the compact durations used on the command line: `250ms`, `3s`, `1.5m`, `24h`, `1d`;
/// `DurationFormatter` writes them.
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
    public enum Outcome: Equatable, Sendable {
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

    /// Tells a malformed text from one too long to count, so that messages can say which.
    public static func classify(_ text: String) -> Outcome {
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

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }
}
