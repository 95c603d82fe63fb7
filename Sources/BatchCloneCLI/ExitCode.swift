/// The process exit codes of `batch-clone`, following sysexits(3) where one fits.
public enum ExitCode: Int32, Sendable, CaseIterable {
    /// Every pool is cloned (now or in an earlier run).
    case success = 0
    /// The run finished but some pools failed (they are listed).
    case poolsFailed = 1
    /// Bad command line or unusable option value.
    case usage = 64
    /// Malformed input data: bad CSV rows, a corrupt state file or journal.
    case dataError = 65
    /// The CSV file does not exist or cannot be read.
    case noInput = 66
    /// The Toloka API kept failing after retries, or the Redis ledger is unreachable or failed its TLS check.
    case unavailable = 69
    /// A bug in batch-clone.
    case software = 70
    /// The state file, journal or results could not be written.
    case ioError = 74
    /// Stopped early and resumable: the next slot is beyond --max-wait, or the journal is in use.
    case tryLater = 75
    /// Authentication or permission failure.
    case noPermission = 77
    /// Interrupted by SIGINT or SIGTERM; progress is saved.
    case interrupted = 130
}
