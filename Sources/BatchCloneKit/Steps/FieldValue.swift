import DurationFormat
import JSONValue

/// Typing a filled `--set` value: it takes the type of the field it replaces.
public enum FieldValue {
    /// The JSON value for `text` replacing `current` (nil: the object lacks the field) at `now` (epoch ms).
    ///
    /// A string field stays a string; a number, boolean, array or object must parse as one; `+DURATION`
    /// (e.g. `+30d`) for a string or missing field is the UTC time that far from now in the API's format;
    /// a missing field takes JSON when the text parses as JSON, else a string.
    public static func typed(_ text: String, replacing current: JSONValue?, field: String, now: Int64)
        -> Result<JSONValue, StepValueError>
    {
        let parsed = JSONValue.parse(Array(text.utf8))
        switch current {
        case .string?:
            return .success(.string(relativeTime(text, now: now) ?? text))
        case nil, .null?:
            if let time = relativeTime(text, now: now) { return .success(.string(time)) }
            return .success(parsed ?? .string(text))
        case let current?:
            guard let parsed, parsed.kind == current.kind else {
                return .failure(.wrongType(field: field, expected: current.kind, value: text))
            }
            return .success(parsed)
        }
    }

    /// `+DURATION` as an API time (UTC, no zone, milliseconds), or nil when `text` is not one.
    static func relativeTime(_ text: String, now: Int64) -> String? {
        guard text.hasPrefix("+"), let duration = DurationParser.parse(String(text.dropFirst())) else { return nil }
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return UTCTimestamp.format(milliseconds: now + milliseconds, zone: false)
    }
}
