/// Everything a command declares about its command line, used for parsing and help.
public struct CommandSpec: Sendable {
    /// The command as typed, e.g. `batch-clone run`.
    public var name: String
    /// One sentence shown at the top of the help.
    public var abstract: String
    /// The usage line, e.g. `batch-clone [run] <pools.csv> [options]`.
    public var usage: String
    public var positionals: [PositionalSpec]
    public var options: [OptionSpec]
    /// Command lines shown under EXAMPLES in help.
    public var examples: [String]
    /// Extra paragraph(s) shown at the end of help; explicit line breaks are kept.
    public var discussion: String?

    /// Creates a command spec.
    public init(
        name: String,
        abstract: String,
        usage: String,
        positionals: [PositionalSpec] = [],
        options: [OptionSpec] = [],
        examples: [String] = [],
        discussion: String? = nil
    ) {
        self.name = name
        self.abstract = abstract
        self.usage = usage
        self.positionals = positionals
        self.options = options
        self.examples = examples
        self.discussion = discussion
    }
}
