import BatchCloneCLI
import Foundation

exit(
    await BatchCloneCommand.main(
        Array(CommandLine.arguments.dropFirst()),
        environment: ProcessInfo.processInfo.environment
    )
)
