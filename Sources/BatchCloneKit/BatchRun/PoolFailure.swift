/// Why a pool was given up: decided by the state machine, turned into text only where it is
/// recorded in the journal or shown.
public enum PoolFailure: Sendable, Equatable, CustomStringConvertible {
    /// The request that met the answer.
    public enum Request: Sendable, Equatable {
        /// `GET /pools/{id}` before spending quota.
        case check
        /// `POST /pools/{id}/clone`.
        case clone
    }

    /// 404: no such pool, or not visible to this account (the answer keeps its `request_id`).
    case doesNotExist(pool: String, on: Request, error: TolokaError)
    /// 403: no rights to the pool.
    case accessDenied(pool: String, on: Request, error: TolokaError)
    /// Another 4xx: the request was refused and nothing was created.
    case refused(pool: String, on: Request, error: TolokaError)
    /// 409 on every try up to the busy limit.
    case stayedBusy(pool: String, tries: Int, error: TolokaError)
    /// The clone operation ended in FAIL on the last allowed attempt.
    case operationFailed(operationID: String, reason: String?, attempt: Int, maxAttempts: Int)
    /// Every attempt's answer was lost and no clone of the pool appeared within the reconcile window.
    case answerNeverFound(pool: String, attempts: Int, cause: TolokaError?)
    /// A `--set` template could not be filled for the item (a source field it lacks): not cloned.
    case templateUnfilled(StepValueError)
    /// A step after the clone failed (`step` as asked); the clone `newID` stands.
    case stepFailed(step: String, newID: String, reason: String)

    /// The clone operation the failure is about, if any.
    public var operationID: String? {
        switch self {
        case .operationFailed(let id, _, _, _): id
        case .doesNotExist, .accessDenied, .refused, .stayedBusy, .answerNeverFound, .templateUnfilled, .stepFailed: nil
        }
    }

    /// Whether a clone of the pool may exist all the same: then it is never sent again.
    public var cloneMayExist: Bool {
        if case .answerNeverFound = self { true } else { false }
    }

    public var description: String {
        switch self {
        case .doesNotExist(let pool, .check, let error):
            "pool \(pool) does not exist or is not visible to this account (404)" + Self.detail(error)
        case .doesNotExist(let pool, .clone, let error):
            "pool \(pool) does not exist (404 on clone)" + Self.detail(error)
        case .accessDenied(let pool, .check, let error):
            "no access to pool \(pool) (403)" + Self.detail(error)
        case .accessDenied(let pool, .clone, let error):
            "no access to pool \(pool) (403 on clone)" + Self.detail(error)
        case .refused(let pool, .check, let error):
            "pool \(pool) was refused: \(error)"
        case .refused(let pool, .clone, let error):
            "clone of pool \(pool) was refused: \(error)"
        case .stayedBusy(let pool, let tries, let error):
            "pool \(pool) stayed busy (409) after \(tries) tries: \(error)"
        case .operationFailed(let id, let reason, let attempt, let maxAttempts):
            "clone operation \(id) failed" + (reason.map { ": \($0)" } ?? "")
                + " (attempt \(attempt) of \(maxAttempts))"
        case .answerNeverFound(let pool, let attempts, let cause):
            "the answers to \(attempts) clone request(s) of pool \(pool) were lost"
                + (cause.map { " (last: \($0))" } ?? "")
                + " and no clone appeared within the reconcile window; a clone may exist: check the account"
        case .templateUnfilled(let error):
            "\(error); not cloned"
        case .stepFailed(let step, let newID, let reason):
            "step '\(step)' of clone \(newID) failed: \(reason)"
        }
    }

    /// What the server said, for Toloka's support: its `request_id` above all.
    private static func detail(_ error: TolokaError) -> String {
        ": \(error)"
    }
}
