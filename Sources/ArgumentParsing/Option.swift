/// One option declared with its value's type, its default and its parser: the parser, help and
/// completions read `spec`, and a command reads the validated value through the same handle.
public struct Option<Value: Sendable>: Sendable {
    /// What the parser, help and completions see of the option.
    public let spec: OptionSpec
    private let read: @Sendable (ParsedArguments) throws(ArgumentError) -> Value

    /// Declares an option whose value `read` takes from parsed arguments, its default when absent.
    public init(_ spec: OptionSpec, read: @escaping @Sendable (ParsedArguments) throws(ArgumentError) -> Value) {
        self.spec = spec
        self.read = read
    }

    /// The long name without dashes, e.g. `poll-interval`.
    public var name: String { spec.name }

    /// The validated value in `arguments`, or the default when the option is absent.
    public func value(in arguments: ParsedArguments) throws(ArgumentError) -> Value {
        try read(arguments)
    }

    /// The same option read as another type, e.g. a library's own value type.
    public func map<Other: Sendable>(_ transform: @escaping @Sendable (Value) -> Other) -> Option<Other> {
        let read = self.read
        return Option<Other>(spec) { arguments throws(ArgumentError) in transform(try read(arguments)) }
    }
}

extension ParsedArguments {
    /// The validated value of a declared option, or its default when it was not given.
    public func value<Value>(_ option: Option<Value>) throws(ArgumentError) -> Value {
        try option.value(in: self)
    }

    /// Whether the command line gave the option at all, whatever its value.
    public func contains<Value>(_ option: Option<Value>) -> Bool {
        flag(option.name) || !values(option.name).isEmpty
    }
}
