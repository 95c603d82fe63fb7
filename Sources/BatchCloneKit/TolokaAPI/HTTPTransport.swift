import DurationFormat
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// An HTTP answer as the client needs it.
public struct HTTPAnswer: Sendable {
    public var status: Int
    /// Header names lowercased.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Sends one HTTP request; tests substitute fakes.
public protocol HTTPTransport: Sendable {
    /// Sends the request; throws `TolokaError.transport` when no answer arrived.
    func send(method: String, url: URL, headers: [String: String]) async throws -> HTTPAnswer
    /// Sends a request with a body (a `PUT`'s JSON document); same errors as `send(method:url:headers:)`.
    func send(method: String, url: URL, headers: [String: String], body: Data) async throws -> HTTPAnswer
}

extension HTTPTransport {
    /// A transport that only reads (a test's) refuses bodies rather than dropping them.
    public func send(method: String, url: URL, headers: [String: String], body: Data) async throws -> HTTPAnswer {
        throw TolokaError.transport("this transport cannot send a request body")
    }
}

/// The transport of the tool: `CurlTransport` where libcurl loads (Linux), whose memory the body
/// cap bounds whatever the answer; `URLSessionTransport` elsewhere.
public func standardTransport(limits: TransportLimits = TransportLimits()) -> any HTTPTransport {
    #if os(Linux)
        if let transport = CurlTransport(limits: limits) { return transport }
    #endif
    return URLSessionTransport(limits: limits)
}

/// A transport over URLSession: GETs share reused connections; every other request gets a fresh one.
///
/// On Linux, FoundationNetworking queues what libcurl reads for the delegate, so the body cap
/// bounds what is kept but not what is read: `standardTransport` prefers `CurlTransport` there.
///
/// libcurl silently re-sends a request when a reused connection dies under it. That is harmless
/// for a GET but clones a pool twice for a POST, so POSTs never ride a reused connection.
/// Redirects are never followed (a 3xx is the answer), so the token only reaches the URL asked for.
public final class URLSessionTransport: HTTPTransport {
    private let session: URLSession
    private let writeSession: URLSession
    private let exchanges: TransportExchanges
    private let limits: TransportLimits

    /// A transport whose requests end within `limits.deadline` and read at most `limits.maxBodyBytes`.
    public init(limits: TransportLimits = TransportLimits()) {
        let seconds = limits.deadlineSeconds
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = seconds
        configuration.timeoutIntervalForResource = seconds
        configuration.httpMaximumConnectionsPerHost = 8
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        let exchanges = TransportExchanges(maxBodyBytes: limits.maxBodyBytes)
        self.exchanges = exchanges
        self.limits = limits
        session = URLSession(configuration: configuration, delegate: exchanges, delegateQueue: nil)
        writeSession = URLSession(configuration: configuration, delegate: exchanges, delegateQueue: nil)
    }

    deinit {
        session.finishTasksAndInvalidate()
        writeSession.finishTasksAndInvalidate()
    }

    public func send(method: String, url: URL, headers: [String: String]) async throws -> HTTPAnswer {
        try await send(method: method, url: url, headers: headers, body: nil)
    }

    public func send(method: String, url: URL, headers: [String: String], body: Data) async throws -> HTTPAnswer {
        try await send(method: method, url: url, headers: headers, body: Optional(body))
    }

    private func send(method: String, url: URL, headers: [String: String], body: Data?) async throws -> HTTPAnswer {
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        for (name, value) in headers {
            request.setValue(value, forHTTPHeaderField: name)
        }
        let isRead = method == "GET"
        if !isRead { request.setValue("close", forHTTPHeaderField: "Connection") }
        let task = (isRead ? session : writeSession).dataTask(with: request)
        let exchanges = self.exchanges
        let seconds = limits.deadlineSeconds
        let reason = "no complete answer within \(DurationFormatter.string(limits.deadline))"
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation {
                    (continuation: CheckedContinuation<HTTPAnswer, any Error>) in
                    exchanges.begin(task, continuation: continuation)
                    // libcurl's timeouts restart with every byte; this one does not.
                    DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
                        exchanges.abandon(task, reason: reason)
                    }
                    task.resume()
                }
            } onCancel: {
                task.cancel()
            }
        } catch let error as TolokaError {
            if Task.isCancelled { throw CancellationError() }
            throw error
        }
    }
}
