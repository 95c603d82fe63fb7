import ArgumentParsing

/// `batch-clone version` (also `batch-clone --version`): the version on stdout.
struct VersionCommand: Command {
    static let spec = CommandSpec(
        name: "batch-clone version",
        abstract: "Print the version of batch-clone.",
        usage: "batch-clone version",
        examples: ["batch-clone --version"]
    )

    init(_ arguments: ParsedArguments, environment: [String: String]) throws(ArgumentError) {
        if !arguments.positionals.isEmpty { throw .tooManyArguments(arguments.positionals) }
    }

    func run(_ context: CommandContext) -> ExitCode {
        context.standardOutput.write("batch-clone \(ToolVersion.current)\n")
        return .success
    }
}
