/// A set of options several commands share, declared and validated in one place
/// (like swift-argument-parser's `@OptionGroup`).
public protocol OptionGroup: Sendable {
    /// The options of the group, in help order; a command splices them into its `CommandSpec`.
    static var options: [OptionSpec] { get }

    /// Validates the group's options; `environment` supplies their fallbacks.
    init(_ arguments: ParsedArguments, environment: [String: String]) throws(ArgumentError)
}
