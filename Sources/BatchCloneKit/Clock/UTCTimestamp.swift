import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Exact conversion between epoch milliseconds and the ISO 8601 UTC text of our files and of Toloka.
///
/// Hand-written instead of `ISO8601DateFormatter` so that a value read back is the very
/// millisecond written (the ledger's guarantee is checked on integers) and parsing is cheap.
public enum UTCTimestamp {
    /// `2026-11-29T13:40:01.123Z`, or without the `Z` in Toloka's style.
    ///
    /// Pure integer arithmetic into a fixed buffer: the ledger formats every kept send on each write.
    public static func format(milliseconds: Int64, zone: Bool = true) -> String {
        let days = floorDivide(milliseconds, 86_400_000)
        let inDay = milliseconds - days * 86_400_000
        let (year, month, day) = civil(fromDays: days)
        var bytes: [UInt8] = Array("0000-00-00T00:00:00.000Z".utf8)
        func put(_ value: Int64, at offset: Int, width: Int) {
            var value = value
            for index in stride(from: offset + width - 1, through: offset, by: -1) {
                bytes[index] = UInt8(48 + value % 10)
                value /= 10
            }
        }
        put(year, at: 0, width: 4)
        put(month, at: 5, width: 2)
        put(day, at: 8, width: 2)
        put(inDay / 3_600_000, at: 11, width: 2)
        put(inDay / 60_000 % 60, at: 14, width: 2)
        put(inDay / 1000 % 60, at: 17, width: 2)
        put(inDay % 1000, at: 20, width: 3)
        return String(decoding: zone ? bytes[...] : bytes.dropLast(), as: UTF8.self)
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
    private static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Parses `YYYY-MM-DDThh:mm:ss[.fff...][Z|+00:00]` as UTC; nil for anything else.
    /// Fractions finer than a millisecond are rounded up, never down.
    public static func parse(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19 else { return nil }
        func number(_ from: Int, _ count: Int) -> Int32? {
            var value: Int32 = 0
            for index in from..<(from + count) {
                let byte = bytes[index]
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int32(byte - 48)
            }
            return value
        }
        guard bytes[4] == 45, bytes[7] == 45, bytes[10] == 84 || bytes[10] == 32,
            bytes[13] == 58, bytes[16] == 58,
            let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let daysInMonth: [Int32] = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard day <= daysInMonth[Int(month) - 1] else { return nil }
        var index = 19
        var millis: Int64 = 0
        if index < bytes.count, bytes[index] == 46 {
            index += 1
            var digits = 0
            var roundUp = false
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                if digits < 3 {
                    millis = millis * 10 + Int64(bytes[index] - 48)
                } else if bytes[index] != 48 {
                    roundUp = true
                }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 3) { millis *= 10 }
            if roundUp { millis += 1 }
        }
        let rest = String(decoding: bytes[index...], as: UTF8.self)
        guard rest.isEmpty || rest == "Z" || rest == "+00:00" || rest == "+0000" else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        let seconds = timegm(&parts)
        return Int64(seconds) * 1000 + millis
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }
}

extension Date {
    /// Epoch milliseconds, rounded up so that a recorded send is never earlier than the real one.
    public var epochMilliseconds: Int64 {
        // Round to whole microseconds first: the product of a double carries noise that must not
        // turn an exact millisecond into the next one.
        let microseconds = (timeIntervalSince1970 * 1_000_000).rounded()
        return Int64((microseconds / 1000).rounded(.up))
    }

    public init(epochMilliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(epochMilliseconds) / 1000)
    }
}

extension UTCTimestamp {
    /// `instant` as `2026-11-29T13:40:01.123Z` (without the `Z` in Toloka's style).
    public static func format<Scale>(_ instant: EpochInstant<Scale>, zone: Bool = true) -> String {
        format(milliseconds: instant.epochMilliseconds, zone: zone)
    }

    /// `text` as an instant of the clock `scale` that wrote it; nil for anything but UTC ISO 8601.
    public static func parse<Scale>(_ text: String, as scale: Scale.Type) -> EpochInstant<Scale>? {
        parse(text).map(EpochInstant.init(epochMilliseconds:))
    }
}
