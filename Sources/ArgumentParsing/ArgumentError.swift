/// A command line that does not match its `CommandSpec`, or a value the caller rejected.
public enum ArgumentError: Error, Equatable, CustomStringConvertible {
    /// An option the command does not know, with the closest known one if any.
    case unknownOption(String, suggestion: String?)
    /// A value option given last or followed by another option.
    case missingValue(option: String, valueName: String)
    /// A flag written as `--flag=value`.
    case unexpectedValue(option: String)
    /// A non-repeatable value option given more than once.
    case repeatedOption(String)
    /// Positional arguments beyond those the command takes.
    case tooManyArguments([String])
    /// A required positional argument that is absent.
    case missingArgument(String)
    /// A value the caller's own validation rejected; `reason` says what is expected.
    case invalidValue(option: String, value: String, reason: String)
    /// A positional argument the caller's own validation rejected.
    case invalidArgument(name: String, value: String, reason: String)

    public var description: String {
        switch self {
        case .unknownOption(let option, let suggestion):
            if let suggestion {
                return "unknown option '\(option.quotedForMessage())'; did you mean '\(Self.dashed(suggestion))'?"
            }
            return "unknown option '\(option.quotedForMessage())'; run with --help to list the options"
        case .missingValue(let option, let valueName):
            let option = Self.dashed(option)
            return "option '\(option)' needs a value, e.g. \(option) <\(valueName)>"
        case .unexpectedValue(let option):
            let option = Self.dashed(option)
            return "option '\(option)' is a flag and takes no value; write just \(option)"
        case .repeatedOption(let option):
            return "option '\(Self.dashed(option))' was given more than once; give it once"
        case .tooManyArguments(let extra):
            var list = extra.prefix(5).map { "'\($0.quotedForMessage())'" }.joined(separator: ", ")
            if extra.count > 5 { list += " and \(extra.count - 5) more" }
            let noun = extra.count == 1 ? "argument" : "arguments"
            return "unexpected extra \(noun) \(list); run with --help for usage"
        case .missingArgument(let name):
            let shown = name.hasPrefix("<") ? name : "<\(name)>"
            return "missing argument \(shown); run with --help for usage"
        case .invalidValue(let option, let value, let reason):
            return "invalid value '\(value.quotedForMessage())' for option '\(Self.dashed(option))': \(reason)"
        case .invalidArgument(let name, let value, let reason):
            return "invalid argument <\(name)> '\(value.quotedForMessage())': \(reason)"
        }
    }

    // Callers may name options with or without dashes; messages always show how to type them.
    private static func dashed(_ option: String) -> String {
        option.hasPrefix("-") ? option : "--\(option)"
    }
}
