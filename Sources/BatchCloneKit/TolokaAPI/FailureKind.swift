/// What a failed request means for the run: the one mapping from server answers to actions.
public enum FailureKind: Sendable, Equatable {
    /// 401: bad or expired token; stop at once.
    case authentication
    /// 403: no rights to this pool.
    case accessDenied
    /// 404: no such pool or operation.
    case notFound
    /// 409 POOL_LOCKED_BY_ANOTHER_OPERATION: the pool is busy; retry later.
    case busy
    /// 429: a limit was hit; which window, and for how long if the server said.
    case rateLimited(interval: String?, retryAfter: Double?)
    /// 5xx, 408, an unusable 2xx body or no answer: try again; for a clone POST, the outcome is unknown.
    case transient
    /// Any other 4xx (other 409 codes included, whatever the body) or a 3xx: refused, nothing was created.
    case rejected

    /// Classifies an error of the client.
    public init(_ error: TolokaError) {
        switch error {
        case .transport:
            self = .transient
        case .redirected:
            self = .rejected
        case .unexpectedResponse(let status, _, _):
            self = Self(status: status, code: nil, interval: nil, retryAfter: nil)
        case .api(let status, let code, _, let interval, let retryAfter, _):
            self = Self(status: status, code: code, interval: interval, retryAfter: retryAfter)
        }
    }

    private init(status: Int, code: String?, interval: String?, retryAfter: Double?) {
        switch (status, code) {
        case (401, _), (_, "AUTHENTICATION_ERROR"): self = .authentication
        case (403, _), (_, "ACCESS_DENIED"): self = .accessDenied
        case (404, _), (_, "DOES_NOT_EXIST"): self = .notFound
        // Only a lock is temporary; other 409s are the pool's state, which repeating cannot change.
        case (409, "POOL_LOCKED_BY_ANOTHER_OPERATION"): self = .busy
        case (429, _), (_, "TOO_MANY_REQUESTS"): self = .rateLimited(interval: interval, retryAfter: retryAfter)
        case (408, _), (500..., _): self = .transient
        // A 4xx or 3xx means the server refused the request: nothing was created, whatever the body.
        case (300..<500, _): self = .rejected
        // A 2xx with an unusable body (or a status outside HTTP's ranges): the outcome is unknown.
        default: self = .transient
        }
    }

    /// Whether a GET that failed this way is worth repeating.
    var isRetryableRead: Bool {
        switch self {
        case .transient, .rateLimited, .busy: true
        default: false
        }
    }
}
