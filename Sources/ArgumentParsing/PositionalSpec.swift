/// Declares one positional argument, for help output.
public struct PositionalSpec: Sendable, Equatable {
    /// The name shown in help, e.g. `pools.csv` (rendered as `<pools.csv>`).
    public var name: String
    public var help: String

    /// Creates a positional argument description.
    public init(_ name: String, help: String) {
        self.name = name
        self.help = help
    }
}
