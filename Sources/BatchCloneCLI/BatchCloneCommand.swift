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
        return await run(
            arguments, environment: environment, errorOutput: StandardStream.error,
            standardOutput: StandardStream.out, clock: SystemClock(), interrupts: interrupts
        ).rawValue
    }

    static let overview = """
        batch-clone: clone many Toloka pools without ever being throttled

        USAGE:
          batch-clone [run] <pools.csv> [options]   clone every pool of the CSV (see batch-clone run --help)
          batch-clone status [options]              quota used and free per limit (see batch-clone status --help)

        """

    static func run(
        _ arguments: [String], environment: [String: String], errorOutput: any TextOutput,
        standardOutput: any TextOutput, clock: any BatchClock, interrupts: InterruptSource
    ) async -> ExitCode {
        var arguments = arguments
        let subcommand = arguments.first
        do {
            switch subcommand {
            case "status":
                arguments.removeFirst()
                let parser = ArgumentParser(StatusCommand.spec)
                let parsed = try parser.parse(arguments)
                if parsed.helpRequested {
                    standardOutput.write(parser.helpText())
                    return .success
                }
                return try StatusCommand(
                    arguments: parsed, environment: environment, errorOutput: errorOutput,
                    standardOutput: standardOutput, clock: clock
                ).execute()
            case nil:
                // Like a missing argument: the overview and the error on stderr, exit 64.
                errorOutput.write(overview)
                throw ArgumentError.missingArgument("pools.csv")
            case "help":
                standardOutput.write(overview + "\n" + ArgumentParser(RunOptions.spec).helpText())
                return .success
            default:
                if subcommand == "run" { arguments.removeFirst() }
                let parser = ArgumentParser(RunOptions.spec)
                let parsed = try parser.parse(arguments)
                if parsed.helpRequested {
                    standardOutput.write(parser.helpText())
                    return .success
                }
                let options = try RunOptions(parsed, environment: environment)
                return try await RunCommand(
                    options: options, environment: environment, errorOutput: errorOutput,
                    standardOutput: standardOutput, clock: clock, interrupts: interrupts
                ).execute()
            }
        } catch {
            let failure = CLIError(error)
            // Messages may carry server text; multi-line ones (malformed CSV rows) keep their line breaks.
            let message = failure.description.split(separator: "\n", omittingEmptySubsequences: false)
                .map { String($0).printable }.joined(separator: "\n")
            errorOutput.write("batch-clone: error: \(message)\n")
            return failure.exitCode
        }
    }
}
