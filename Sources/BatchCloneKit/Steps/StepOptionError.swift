/// A `--set` option that cannot be understood: a usage error.
public enum StepOptionError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingEquals(String)
    case badField(String)

    public var description: String {
        switch self {
        case .missingEquals(let text):
            "--set '\(text)': expected FIELD=VALUE, e.g. --set private_name=\"{source.private_name} v{copy}\""
        case .badField(let text):
            "--set '\(text)': the field must be a name or a dotted path such as defaults.default_overlap_for_new_tasks"
        }
    }
}
