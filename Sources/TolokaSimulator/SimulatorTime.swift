import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Toloka's timestamp format: UTC without a zone suffix, `YYYY-MM-DDThh:mm:ss.sss`.
enum SimulatorTime {
    /// Times are kept at millisecond precision so a timestamp a client read back filters exactly.
    static func truncated(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }

    static func format(_ date: Date) -> String {
        let totalMilliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = totalMilliseconds >= 0 ? totalMilliseconds / 1000 : (totalMilliseconds - 999) / 1000
        let milliseconds = Int(totalMilliseconds - seconds * 1000)
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03d",
            Int(parts.tm_year) + 1900,
            Int(parts.tm_mon) + 1,
            Int(parts.tm_mday),
            Int(parts.tm_hour),
            Int(parts.tm_min),
            Int(parts.tm_sec),
            milliseconds
        )
    }

    /// Parses `YYYY-MM-DDThh:mm:ss[.fraction][Z]`; anything else is nil.
    static func parse(_ text: String) -> Date? {
        var characters = Array(text.utf8)
        if characters.last == UInt8(ascii: "Z") {
            characters.removeLast()
        }
        guard characters.count >= 19,
            characters[4] == UInt8(ascii: "-"), characters[7] == UInt8(ascii: "-"),
            characters[10] == UInt8(ascii: "T"),
            characters[13] == UInt8(ascii: ":"), characters[16] == UInt8(ascii: ":"),
            let year = number(characters[0..<4]), let month = number(characters[5..<7]),
            let day = number(characters[8..<10]), let hour = number(characters[11..<13]),
            let minute = number(characters[14..<16]), let second = number(characters[17..<19]),
            (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
            (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second)
        else {
            return nil
        }
        var fraction = 0.0
        if characters.count > 19 {
            let digits = characters[20...]
            guard characters[19] == UInt8(ascii: "."), !digits.isEmpty, number(digits) != nil,
                let value = Double("0." + String(decoding: digits, as: UTF8.self))
            else {
                return nil
            }
            fraction = value
        }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = timegm(&parts)
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        guard digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

extension Duration {
    var simulatorSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
