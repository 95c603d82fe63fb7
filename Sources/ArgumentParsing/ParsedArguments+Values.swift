import DurationFormat

/// Typed values of options, validated with messages that name the option and the bad value.
extension ParsedArguments {
    /// The longest duration an option accepts unless its caller says otherwise: ten years, beyond any
    /// real use and far from overflowing the milliseconds and nanoseconds the tools compute with.
    public static let maximumDuration: Duration = .seconds(3650 * 86_400)
    /// The largest count of a `N/DURATION` limit unless its caller says otherwise.
    public static let maximumLimitCount = 1_000_000

    /// A duration such as `500ms`, `3s`, `10m`, `24h`, `1d` within `minimum...maximum`; nil when absent.
    public func duration(
        _ name: String,
        allowZero: Bool = false,
        minimum: Duration? = nil,
        maximum: Duration = maximumDuration
    ) throws(ArgumentError) -> Duration? {
        guard let text = value(name) else { return nil }
        return try Self.checkedDuration(text, option: name, allowZero: allowZero, minimum: minimum, maximum: maximum)
    }

    /// A whole number within `minimum...maximum`; nil when the option is absent.
    public func integer(_ name: String, minimum: Int, maximum: Int = .max) throws(ArgumentError) -> Int? {
        guard let text = value(name) else { return nil }
        guard let number = Int(text) else {
            let digits = !text.isEmpty && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            throw .invalidValue(
                option: name,
                value: text,
                reason: digits ? "too large; at most \(maximum)" : "expected a whole number of at least \(minimum)"
            )
        }
        guard number >= minimum else {
            throw .invalidValue(option: name, value: text, reason: "expected a whole number of at least \(minimum)")
        }
        guard number <= maximum else {
            throw .invalidValue(option: name, value: text, reason: "too large; at most \(maximum)")
        }
        return number
    }

    /// Every value of a repeatable `N/DURATION` option, in order, with N and the window bounded.
    public func limits(
        _ name: String,
        maximumCount: Int = maximumLimitCount,
        maximumWindow: Duration = maximumDuration
    ) throws(ArgumentError) -> [LimitSpec] {
        var limits: [LimitSpec] = []
        for text in values(name) {
            guard let limit = LimitSpec.parse(text) else {
                let parts = text.split(separator: "/", omittingEmptySubsequences: false)
                let countDigits =
                    parts.first.map { $0.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x20 } } ?? false
                if parts.count == 2, countDigits, parts[0].contains(where: \.isNumber) {
                    if DurationParser.classify(String(parts[1])) == .tooLong {
                        throw .invalidValue(
                            option: name,
                            value: text,
                            reason: "the window is too long; at most \(Self.days(maximumWindow))"
                        )
                    }
                    if DurationParser.parse(String(parts[1])) != nil {
                        throw .invalidValue(
                            option: name,
                            value: text,
                            reason: "the count must be from 1 to \(maximumCount)"
                        )
                    }
                }
                throw .invalidValue(option: name, value: text, reason: "expected N/DURATION such as 20/1m or 100/24h")
            }
            guard limit.count <= maximumCount else {
                throw .invalidValue(option: name, value: text, reason: "the count must be from 1 to \(maximumCount)")
            }
            guard limit.window <= maximumWindow else {
                throw .invalidValue(
                    option: name,
                    value: text,
                    reason: "the window is too long; at most \(Self.days(maximumWindow))"
                )
            }
            limits.append(limit)
        }
        return limits
    }

    /// A `MIN-MAX` range of durations such as `500ms-2s`; nil when the option is absent.
    public func durationRange(_ name: String, maximum: Duration = maximumDuration) throws(ArgumentError) -> ClosedRange<
        Duration
    >? {
        guard let text = value(name) else { return nil }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, let low = DurationParser.parse(parts[0], allowZero: true),
            let high = DurationParser.parse(parts[1], allowZero: true), low <= high
        else { throw .invalidValue(option: name, value: text, reason: "expected MIN-MAX such as 500ms-2s") }
        guard high <= maximum else {
            throw .invalidValue(option: name, value: text, reason: "too long; at most \(Self.days(maximum))")
        }
        return low...high
    }

    static func checkedDuration(
        _ text: String,
        option: String,
        allowZero: Bool,
        minimum: Duration?,
        maximum: Duration
    ) throws(ArgumentError) -> Duration {
        let expected = "expected a duration such as 500ms, 3s, 10m, 24h or 1d"
        switch DurationParser.classify(text) {
        case .malformed:
            throw .invalidValue(option: option, value: text, reason: expected)
        case .tooLong:
            throw .invalidValue(option: option, value: text, reason: "too long; at most \(days(maximum))")
        case .duration(let duration):
            guard duration > .zero || allowZero else {
                throw .invalidValue(option: option, value: text, reason: expected)
            }
            if let minimum, minimum > duration, !(allowZero && duration == .zero) {
                throw .invalidValue(
                    option: option,
                    value: text,
                    reason: "too short; at least \(DurationFormatter.string(minimum))"
                )
            }
            guard duration <= maximum else {
                throw .invalidValue(option: option, value: text, reason: "too long; at most \(days(maximum))")
            }
            return duration
        }
    }

    // `3650d` rather than `3650d0h...`: the bounds are whole days or a plain duration.
    private static func days(_ duration: Duration) -> String {
        DurationFormatter.string(duration, .argument)
    }
}
