import BatchCloneKit

extension ExitCode {
    /// The exit code of a finished run: its error's, else what the summary says is left to do.
    static func of(_ summary: RunSummary, failure: CLIError? = nil) -> ExitCode {
        if let failure { return failure.exitCode }
        switch summary.stop {
        case .interrupted: return .interrupted
        case .limit, .unfinishedOperations: return .tryLater
        case nil: return summary.failed.isEmpty && summary.unsettled == 0 ? .success : .poolsFailed
        }
    }
}
