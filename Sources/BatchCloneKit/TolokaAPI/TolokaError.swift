import Foundation

/// A failed Toloka request: the server's error envelope, an unusable answer, a redirect, or no answer at all.
public enum TolokaError: Error, Equatable, CustomStringConvertible {
    /// The server answered with its JSON error envelope; `requestID` is what Toloka's support asks for.
    case api(
        status: Int,
        code: String,
        message: String,
        interval: String?,
        retryAfter: TimeInterval?,
        requestID: String? = nil
    )
    /// The server answered, but not with a usable body (e.g. an HTML page from a proxy).
    case unexpectedResponse(status: Int, snippet: String, contentType: String? = nil)
    /// A 3xx: never followed, so the token reaches the API root's origin only; `location` is the target's origin.
    case redirected(status: Int, location: String)
    /// No answer: connection refused or dropped, timeout, or an oversized body. For a POST the outcome is unknown.
    case transport(String)

    /// The HTTP status, when there was an answer.
    public var status: Int? {
        switch self {
        case .api(let status, _, _, _, _, _), .unexpectedResponse(let status, _, _), .redirected(let status, _): status
        case .transport: nil
        }
    }

    public var description: String {
        switch self {
        case .api(let status, let code, let message, let interval, _, let requestID):
            "HTTP \(status) \(code)" + (interval.map { " (\($0) window)" } ?? "")
                + (message.isEmpty ? "" : ": \(message)")
                + (requestID.map { " (request_id \($0))" } ?? "")
        case .unexpectedResponse(let status, let snippet, let contentType):
            "HTTP \(status) (\(contentType ?? "no content type")) with an unexpected body: \(snippet)"
        case .redirected(let status, let location):
            "HTTP \(status) redirect to \(location), not followed: the token is sent to the API root only; "
                + "check --base-url"
        case .transport(let reason):
            "no answer from the server: \(reason)"
        }
    }
}
