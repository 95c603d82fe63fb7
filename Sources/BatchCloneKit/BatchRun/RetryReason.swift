/// Why a pool goes back to the queue instead of failing.
public enum RetryReason: Sendable, Equatable, CustomStringConvertible {
    /// 409 `POOL_LOCKED_BY_ANOTHER_OPERATION`: sent again later.
    case busy
    /// The clone's answer was lost: the server is asked whether the clone exists.
    case answerLost(TolokaError)
    /// The clone operation ended in FAIL; another attempt follows.
    case operationFailed(operationID: String, reason: String?)

    public var description: String {
        switch self {
        case .busy: "pool is busy (409)"
        case .answerLost(let error): "clone answer lost (\(error)); looking for it on the server"
        case .operationFailed(let id, let reason): "clone operation \(id) failed" + (reason.map { ": \($0)" } ?? "")
        }
    }
}
