import Foundation

/// Parses the `Retry-After` header: delta-seconds or an HTTP-date (RFC 9110).
enum RetryAfter {
    /// Seconds to wait from `now`, never negative; nil for garbage.
    static func parse(_ value: String, now: Date) -> TimeInterval? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            return text.count > 9 ? nil : TimeInterval(Int(text)!)
        }
        return httpDate(text).map { max(0, $0.timeIntervalSince(now)) }
    }

    /// An HTTP-date (RFC 9110: IMF-fixdate, or the obsolete RFC 850 and asctime forms), as `Retry-After` and `Date` carry it.
    static func httpDate(_ value: String) -> Date? {
        let text = value.trimmingCharacters(in: .whitespaces)
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    /// The longest wait believed for a 429 naming `interval` (`payload.interval`): its window plus a
    /// second, and a day plus a second when it names none we know.
    ///
    /// A stored block outlives the run, so a far-future header must not lock the state file for good.
    static func ceiling(interval: String?) -> TimeInterval {
        let window: TimeInterval =
            switch interval {
            case "MIN": 60
            case "HOUR": 3600
            default: 86_400
            }
        return window + 1
    }

    /// `seconds` from the header, capped at `ceiling(interval:)`.
    static func believed(_ seconds: TimeInterval, interval: String?) -> TimeInterval {
        min(max(0, seconds), ceiling(interval: interval))
    }
}
