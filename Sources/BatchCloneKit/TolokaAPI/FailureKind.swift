/// What a failed request means for the run: the one mapping from server answers to actions.
public enum FailureKind: Sendable, Equatable {
    /// 401: bad or expired token; stop at once.
    case authentication
    /// 403: no rights to this pool.
    case accessDenied
    /// 404: no such pool or operation.
    case notFound
    /// 409: the pool is busy; retry later.
    case busy
    /// 429: a limit was hit; which window, and for how long if the server said.
    case rateLimited(interval: String?, retryAfter: Double?)
    /// 5xx, an unusable body or no answer: try again; for a clone POST, the outcome is unknown.
    case transient
    /// Any other 4xx: the request itself was refused.
    case rejected

    /// Classifies an error of the client.
    public init(_ error: TolokaError) {
        switch error {
        case .transport:
            self = .transient
        case .unexpectedResponse(let status, _):
            self =
                status == 401
                ? .authentication
                : status == 403
                    ? .accessDenied
                    : status == 404
                        ? .notFound
                        : status == 429 ? .rateLimited(interval: nil, retryAfter: nil) : .transient
        case .api(let status, let code, _, let interval, let retryAfter):
            switch (status, code) {
            case (401, _), (_, "AUTHENTICATION_ERROR"): self = .authentication
            case (403, _), (_, "ACCESS_DENIED"): self = .accessDenied
            case (404, _), (_, "DOES_NOT_EXIST"): self = .notFound
            case (409, _): self = .busy
            case (429, _), (_, "TOO_MANY_REQUESTS"): self = .rateLimited(interval: interval, retryAfter: retryAfter)
            case (500..., _): self = .transient
            case (408, _): self = .transient
            default: self = .rejected
            }
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
