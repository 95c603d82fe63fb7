import ArgumentParsing

/// One `batch-clone` subcommand: its command line, its validated options, and what it does.
///
/// The dispatcher parses against `spec`, answers `--help`, builds the command and runs it, so a
/// command never parses arguments itself.
protocol Command: Sendable {
    /// Options, arguments and help of the command; the parser, help and completions all read it.
    static var spec: CommandSpec { get }

    /// Validates the parsed command line; `environment` supplies fallbacks such as TOLOKA_API_URL.
    init(_ arguments: ParsedArguments, environment: [String: String]) throws(ArgumentError)

    /// Does the work and returns the exit code; thrown errors become exit codes in `CLIError`.
    func run(_ context: CommandContext) async throws -> ExitCode
}
