import BatchCloneKit

extension FakeTolokaAPI {
    /// What the fake server does with one clone request.
    public enum CloneAnswer: Sendable {
        /// The server creates an operation that finishes after `polls` reads, with SUCCESS or FAIL.
        case accept(polls: Int = 1, fails: Bool = false)
        /// The server commits the clone, but its answer is lost on the way back.
        case lostAfterCommit(polls: Int = 1, fails: Bool = false, error: TolokaError = .transport("dropped"))
        /// The server answers with an error and creates nothing.
        case error(TolokaError)
    }

    /// An operation as the fake server holds it.
    public struct ServerOperation: Sendable {
        /// `op-00001`, `op-00002`, ...: ids sort in creation order, as the list pages by id.
        public var id: String
        /// `POOL.CLONE`, or another type that reconciliation must ignore.
        public var type: String
        /// The source pool.
        public var pool: String
        /// When the server says it was submitted (its own clock, skew included), epoch ms.
        public var submitted: Int64
        /// Reads (single or listed) until the operation shows its final status.
        public var pollsUntilFinished: Int
        /// Whether the final status is FAIL rather than SUCCESS.
        public var fails: Bool
        /// Reads so far.
        public var polls = 0

        /// The new pool's id once the operation succeeds.
        public var newPoolID: String { "new-\(pool)-\(id)" }
    }

    /// 429 of the per-minute clone limit, without Retry-After.
    public static let tooManyRequests = TolokaError.api(
        status: 429,
        code: "TOO_MANY_REQUESTS",
        message: "",
        interval: "MIN",
        retryAfter: nil
    )
    /// 401: the token is refused.
    public static let unauthorized = TolokaError.api(
        status: 401,
        code: "AUTHENTICATION_ERROR",
        message: "bad token",
        interval: nil,
        retryAfter: nil
    )
    /// 403: no rights to the pool.
    public static let forbidden = TolokaError.api(
        status: 403,
        code: "ACCESS_DENIED",
        message: "no rights",
        interval: nil,
        retryAfter: nil
    )
    /// 404: no such pool.
    public static let missing = TolokaError.api(
        status: 404,
        code: "DOES_NOT_EXIST",
        message: "no such pool",
        interval: nil,
        retryAfter: nil
    )
    /// 503: the service is down for now.
    public static let unavailable = TolokaError.api(
        status: 503,
        code: "REMOTE_SERVICE_UNAVAILABLE",
        message: "",
        interval: nil,
        retryAfter: nil
    )
    /// 409: another operation holds the pool.
    public static let busy = TolokaError.api(
        status: 409,
        code: "POOL_LOCKED_BY_ANOTHER_OPERATION",
        message: "",
        interval: nil,
        retryAfter: nil
    )
}
