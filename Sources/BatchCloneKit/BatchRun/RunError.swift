/// A failure that ends a whole run (per-pool failures are recorded, not thrown).
public enum RunError: Error, Equatable, CustomStringConvertible {
    /// 401: the token is wrong or expired.
    case authentication(String)
    /// 403 on the first pools in a row: the account has no access.
    case accessDenied(String)
    /// The server kept failing after retries.
    case serviceUnavailable(String)
    /// A step the run's own rules forbid: a bug; the journal holds everything before it.
    case internalError(String)

    public var description: String {
        switch self {
        case .authentication(let detail):
            "authentication failed (\(detail)): check TOLOKA_TOKEN and the API URL; nothing more was sent"
        case .accessDenied(let detail):
            "access denied on every pool tried (\(detail)): check the account and X-Act-Under-Account-ID"
        case .serviceUnavailable(let detail):
            "the Toloka API kept failing (\(detail)); progress is saved, re-run the same command to resume"
        case .internalError(let detail):
            "internal error (a batch-clone bug, please report it): \(detail); progress is saved, "
                + "re-run the same command to resume"
        }
    }
}
