import Foundation

/// A failed Toloka request: the server's error envelope, an unusable answer, or no answer at all.
public enum TolokaError: Error, Equatable, CustomStringConvertible {
    /// The server answered with its JSON error envelope.
    case api(status: Int, code: String, message: String, interval: String?, retryAfter: TimeInterval?)
    /// The server answered, but not with a usable body (e.g. an HTML page from a proxy).
    case unexpectedResponse(status: Int, snippet: String)
    /// No answer: connection refused or dropped, or timeout. For a POST the outcome is unknown.
    case transport(String)

    /// The HTTP status, when there was an answer.
    public var status: Int? {
        switch self {
        case .api(let status, _, _, _, _), .unexpectedResponse(let status, _): status
        case .transport: nil
        }
    }

    public var description: String {
        switch self {
        case .api(let status, let code, let message, let interval, _):
            "HTTP \(status) \(code)" + (interval.map { " (\($0) window)" } ?? "") + (message.isEmpty ? "" : ": \(message)")
        case .unexpectedResponse(let status, let snippet):
            "HTTP \(status) with an unexpected body: \(snippet)"
        case .transport(let reason):
            "no answer from the server: \(reason)"
        }
    }
}
