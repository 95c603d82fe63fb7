/// The result of parsing a command line against a `CommandSpec`.
public struct ParsedArguments: Sendable, Equatable {
    /// Every positional argument, in order; the caller validates how many it needs.
    public var positionals: [String]
    /// True when `-h` or `--help` appeared anywhere before `--`.
    public var helpRequested: Bool
    var flags: Set<String>
    var optionValues: [String: [String]]

    /// Creates parsed arguments directly, e.g. to test a command without a command line.
    public init(
        positionals: [String] = [],
        flags: Set<String> = [],
        values: [String: [String]] = [:],
        helpRequested: Bool = false
    ) {
        self.positionals = positionals
        self.flags = Set(flags.map(Self.bare))
        self.optionValues = Dictionary(values.map { (Self.bare($0.key), $0.value) }, uniquingKeysWith: +)
        self.helpRequested = helpRequested
    }

    /// Whether the flag `--name` was given.
    public func flag(_ name: String) -> Bool {
        flags.contains(Self.bare(name))
    }

    /// The last value given for `--name`, or nil when it was not given.
    public func value(_ name: String) -> String? {
        optionValues[Self.bare(name)]?.last
    }

    /// All values given for `--name`, in command-line order.
    public func values(_ name: String) -> [String] {
        optionValues[Self.bare(name)] ?? []
    }

    // Callers may pass "--limit" or "limit"; both mean the same option.
    private static func bare(_ name: String) -> String {
        String(name.drop(while: { $0 == "-" }))
    }
}
