/// Typed values of options, validated with messages that name the option and the bad value.
extension ParsedArguments {
    /// A duration such as `500ms`, `3s`, `10m`, `24h`, `1d`; nil when the option is absent.
    public func duration(_ name: String, allowZero: Bool = false) throws(ArgumentError) -> Duration? {
        guard let text = value(name) else { return nil }
        guard let duration = DurationParser.parse(text, allowZero: allowZero) else {
            throw .invalidValue(option: name, value: text, reason: "expected a duration such as 500ms, 3s, 10m, 24h or 1d")
        }
        return duration
    }

    /// A whole number of at least `minimum`; nil when the option is absent.
    public func integer(_ name: String, minimum: Int) throws(ArgumentError) -> Int? {
        guard let text = value(name) else { return nil }
        guard let number = Int(text), number >= minimum else {
            throw .invalidValue(option: name, value: text, reason: "expected a whole number of at least \(minimum)")
        }
        return number
    }

    /// Every value of a repeatable `N/DURATION` option, in order.
    public func limits(_ name: String) throws(ArgumentError) -> [LimitSpec] {
        var limits: [LimitSpec] = []
        for text in values(name) {
            guard let limit = LimitSpec.parse(text) else {
                throw .invalidValue(option: name, value: text, reason: "expected N/DURATION such as 20/1m or 100/24h")
            }
            limits.append(limit)
        }
        return limits
    }

    /// A `MIN-MAX` range of durations such as `500ms-2s`; nil when the option is absent.
    public func durationRange(_ name: String) throws(ArgumentError) -> ClosedRange<Duration>? {
        guard let text = value(name) else { return nil }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, let low = DurationParser.parse(parts[0], allowZero: true),
            let high = DurationParser.parse(parts[1], allowZero: true), low <= high
        else { throw .invalidValue(option: name, value: text, reason: "expected MIN-MAX such as 500ms-2s") }
        return low...high
    }
}
