import ArgumentParsing
import BatchCloneKit
import Foundation

/// The `batch-clone` command line: subcommand dispatch and the single place where errors become exit codes.
public enum BatchCloneCommand {
    /// Runs the command with `arguments` (without the program name) and returns the exit code.
    public static func main(_ arguments: [String], environment: [String: String]) async -> Int32 {
        StandardStream.ignoreBrokenPipes()
        let interrupts = InterruptSource()
        interrupts.install()
        let context = CommandContext(
            environment: environment,
            errorOutput: StandardStream.error,
            standardOutput: StandardStream.out,
            clock: SystemClock(),
            interrupts: interrupts
        )
        return await run(arguments, context: context).rawValue
    }

    /// The subcommands by name; `run` is also what a command line without a subcommand means.
    static let subcommands: [(name: String, command: any Command.Type)] = [
        ("run", RunCommand.self),
        ("status", StatusCommand.self),
        ("version", VersionCommand.self),
        ("completions", CompletionsCommand.self),
    ]

    static let overview = """
        batch-clone: clone many Toloka pools without ever being throttled

        USAGE:
          batch-clone [run] <pools.csv> [options]   clone every pool of the CSV (see batch-clone run --help)
          batch-clone status [options]              quota used and free per limit (see batch-clone status --help)
          batch-clone completions bash|zsh|fish     a shell completion script
          batch-clone version, batch-clone --version

        """

    static func run(_ arguments: [String], context: CommandContext) async -> ExitCode {
        var arguments = arguments
        do {
            switch arguments.first {
            case nil:
                // Like a missing argument: the overview and the error on stderr, exit 64.
                context.errorOutput.write(overview)
                throw ArgumentError.missingArgument("pools.csv")
            case "help":
                context.standardOutput.write(overview + "\n" + ArgumentParser(RunCommand.spec).helpText())
                return .success
            case "--version":
                arguments.removeFirst()
                return try await dispatch(VersionCommand.self, arguments, context: context)
            case let name?:
                let command = subcommands.first { $0.name == name }?.command
                if command != nil { arguments.removeFirst() }
                return try await dispatch(command ?? RunCommand.self, arguments, context: context)
            }
        } catch {
            let failure = CLIError(error)
            // Messages may carry server text; multi-line ones (malformed CSV rows) keep their line breaks.
            let message = failure.description.split(separator: "\n", omittingEmptySubsequences: false)
                .map { String($0).printable }.joined(separator: "\n")
            context.errorOutput.write("batch-clone: error: \(message)\n")
            return failure.exitCode
        }
    }

    /// Parses against the command's spec, answers `--help`, then builds and runs the command.
    static func dispatch(_ type: any Command.Type, _ arguments: [String], context: CommandContext) async throws
        -> ExitCode
    {
        let parser = ArgumentParser(type.spec)
        let parsed = try parser.parse(arguments)
        if parsed.helpRequested {
            context.standardOutput.write(parser.helpText())
            return .success
        }
        return try await type.init(parsed, environment: context.environment).run(context)
    }
}
