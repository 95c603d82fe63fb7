import DurationFormat

/// The kinds of value the tools' options take, each with its validation and the way its default reads.
extension Option where Value == Bool {
    /// A switch: true when given.
    public static func flag(_ name: String, help: String) -> Option {
        Option(OptionSpec(name, .flag, help: help)) { arguments in arguments.flag(name) }
    }
}

extension Option where Value == String? {
    /// Free text such as a path or a name; nil when absent. `defaultValue` says in help what absence means.
    public static func text(_ name: String, valueName: String, help: String, defaultValue: String? = nil) -> Option {
        Option(OptionSpec(name, .value(valueName: valueName), help: help, defaultValue: defaultValue)) { arguments in
            arguments.value(name)
        }
    }
}

extension Option where Value == String {
    /// Free text with a default.
    public static func text(_ name: String, valueName: String, default: String, help: String) -> Option {
        Option(OptionSpec(name, .value(valueName: valueName), help: help, defaultValue: `default`)) { arguments in
            arguments.value(name) ?? `default`
        }
    }
}

extension Option where Value == Duration {
    /// A duration such as `500ms` or `10m` within `minimum...maximum`, `default` when absent.
    public static func duration(
        _ name: String,
        default: Duration,
        allowZero: Bool = false,
        minimum: Duration? = nil,
        maximum: Duration = ParsedArguments.maximumDuration,
        help: String
    ) -> Option {
        let spec = OptionSpec(
            name,
            .value(valueName: "DURATION"),
            help: help,
            defaultValue: DurationFormatter.string(`default`, .argument)
        )
        return Option(spec) { arguments throws(ArgumentError) in
            try arguments.duration(name, allowZero: allowZero, minimum: minimum, maximum: maximum) ?? `default`
        }
    }
}

extension Option where Value == Duration? {
    /// A duration such as `500ms` or `10m` within `minimum...maximum`; nil when absent, which
    /// `defaultValue` describes in help.
    public static func duration(
        _ name: String,
        allowZero: Bool = false,
        minimum: Duration? = nil,
        maximum: Duration = ParsedArguments.maximumDuration,
        help: String,
        defaultValue: String? = nil
    ) -> Option {
        Option(OptionSpec(name, .value(valueName: "DURATION"), help: help, defaultValue: defaultValue)) {
            arguments throws(ArgumentError) in
            try arguments.duration(name, allowZero: allowZero, minimum: minimum, maximum: maximum)
        }
    }

}

extension Option where Value == ClosedRange<Duration>? {
    /// A `MIN-MAX` range of durations such as `500ms-2s`; nil when absent.
    public static func durationRange(
        _ name: String,
        maximum: Duration = ParsedArguments.maximumDuration,
        help: String,
        defaultValue: String? = nil
    ) -> Option {
        Option(OptionSpec(name, .value(valueName: "MIN-MAX"), help: help, defaultValue: defaultValue)) {
            arguments throws(ArgumentError) in
            try arguments.durationRange(name, maximum: maximum)
        }
    }
}

extension Option where Value == Int {
    /// A whole number within `minimum...maximum`, `default` when absent.
    public static func integer(
        _ name: String,
        default: Int,
        minimum: Int,
        maximum: Int = .max,
        valueName: String = "N",
        help: String
    ) -> Option {
        Option(OptionSpec(name, .value(valueName: valueName), help: help, defaultValue: String(`default`))) {
            arguments throws(ArgumentError) in
            try arguments.integer(name, minimum: minimum, maximum: maximum) ?? `default`
        }
    }
}

extension Option where Value == Int? {
    /// A whole number within `minimum...maximum`; nil when absent, which `defaultValue` describes in help.
    public static func integer(
        _ name: String,
        minimum: Int,
        maximum: Int = .max,
        valueName: String = "N",
        help: String,
        defaultValue: String? = nil
    ) -> Option {
        Option(OptionSpec(name, .value(valueName: valueName), help: help, defaultValue: defaultValue)) {
            arguments throws(ArgumentError) in
            try arguments.integer(name, minimum: minimum, maximum: maximum)
        }
    }
}

extension Option where Value == [LimitSpec] {
    /// `N/DURATION`, repeatable: every value given in order, else `defaults`.
    public static func limits(
        _ name: String,
        defaults: [LimitSpec],
        maximumCount: Int = ParsedArguments.maximumLimitCount,
        maximumWindow: Duration = ParsedArguments.maximumDuration,
        help: String
    ) -> Option {
        let shown = defaults.isEmpty ? nil : defaults.map(\.description).joined(separator: " and ")
        let spec = OptionSpec(name, .repeatable(valueName: "N/DURATION"), help: help, defaultValue: shown)
        return Option(spec) { arguments throws(ArgumentError) in
            let limits = try arguments.limits(name, maximumCount: maximumCount, maximumWindow: maximumWindow)
            return limits.isEmpty ? defaults : limits
        }
    }
}

extension Option where Value: RawRepresentable & CaseIterable, Value.RawValue == String {
    /// One of the cases of `Value`, spelled as its raw value; `default` when absent.
    public static func choice(_ name: String, default: Value, valueName: String, help: String) -> Option {
        let names = Value.allCases.map(\.rawValue)
        let expected =
            names.count > 1 ? names.dropLast().joined(separator: ", ") + " or " + names.last! : names.joined()
        let spec = OptionSpec(name, .value(valueName: valueName), help: help, defaultValue: `default`.rawValue)
        return Option(spec) { arguments throws(ArgumentError) in
            guard let text = arguments.value(name) else { return `default` }
            guard let value = Value(rawValue: text) else {
                throw .invalidValue(option: name, value: text, reason: "expected \(expected)")
            }
            return value
        }
    }
}

extension Option {
    /// A value `parse` reads from the text, nil when absent; text it rejects is an error that says
    /// `expected`, e.g. "expected 0-65535".
    public static func parsed<Wrapped: Sendable>(
        _ name: String,
        valueName: String,
        help: String,
        defaultValue: String? = nil,
        expected: String,
        parse: @escaping @Sendable (String) -> Wrapped?
    ) -> Option where Value == Wrapped? {
        Option(OptionSpec(name, .value(valueName: valueName), help: help, defaultValue: defaultValue)) {
            arguments throws(ArgumentError) in
            guard let text = arguments.value(name) else { return nil }
            guard let value = parse(text) else {
                throw .invalidValue(option: name, value: text, reason: expected)
            }
            return value
        }
    }
}
