import BatchCloneKit
import Foundation

@testable import BatchCloneCLI

/// Runs the command line in-process with a fixed clock; the exit code and what went to stderr.
func runCommand(_ arguments: [String], environment: [String: String] = [:]) async -> (ExitCode, stderr: String) {
    let errors = CapturedOutput()
    let code = await BatchCloneCommand.run(
        arguments,
        context: CommandContext(
            environment: environment,
            errorOutput: errors,
            standardOutput: CapturedOutput(),
            clock: FixedClock(now: Date(epochMilliseconds: 1_780_000_000_000)),
            interrupts: InterruptSource()
        )
    )
    return (code, errors.text)
}
