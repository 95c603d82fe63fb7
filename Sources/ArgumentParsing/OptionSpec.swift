/// Declares one `--name` option a command accepts.
public struct OptionSpec: Sendable {
    /// How an option consumes the command line.
    public enum Kind: Sendable {
        /// A switch with no value: `--dry-run`.
        case flag
        /// An option taking one value, given at most once: `--limit 20/1m`.
        case value(valueName: String)
        /// An option taking one value that may be given many times: `--tag a --tag b`.
        case repeatable(valueName: String)
    }

    /// The long name without dashes, e.g. `limit`.
    public var name: String
    public var kind: Kind
    /// What the option does, without its default.
    public var help: String
    /// How the value used when the option is absent reads, e.g. `10m`; nil when there is none to show.
    public var defaultValue: String?

    /// Creates a spec; `name` is given without the leading dashes.
    public init(_ name: String, _ kind: Kind, help: String, defaultValue: String? = nil) {
        self.name = name
        self.kind = kind
        self.help = help
        self.defaultValue = defaultValue
    }

    /// The help followed by the default, as help screens and completions show it.
    public var helpWithDefault: String {
        guard let defaultValue else { return help }
        return help.isEmpty ? "default \(defaultValue)" : "\(help) (default \(defaultValue))"
    }

    /// The placeholder of the option's value, e.g. `N/DURATION`; nil for a flag.
    public var valueName: String? {
        switch kind {
        case .flag: nil
        case .value(let valueName), .repeatable(let valueName): valueName
        }
    }

    /// Whether the option may be given more than once.
    public var isRepeatable: Bool {
        if case .repeatable = kind { return true }
        return false
    }
}
