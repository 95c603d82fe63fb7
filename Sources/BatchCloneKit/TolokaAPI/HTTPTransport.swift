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
}

/// The real transport: GETs share reused connections; every other request gets a fresh one.
///
/// libcurl silently re-sends a request when a reused connection dies under it. That is harmless
/// for a GET but clones a pool twice for a POST, so POSTs never ride a reused connection.
public final class URLSessionTransport: HTTPTransport {
    private let session: URLSession
    private let writeSession: URLSession

    /// A transport whose requests give up after `timeout` seconds.
    public init(timeout: TimeInterval = 30) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout * 2
        configuration.httpMaximumConnectionsPerHost = 8
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        session = URLSession(configuration: configuration)
        writeSession = URLSession(configuration: configuration)
    }

    deinit {
        session.finishTasksAndInvalidate()
        writeSession.finishTasksAndInvalidate()
    }

    public func send(method: String, url: URL, headers: [String: String]) async throws -> HTTPAnswer {
        var request = URLRequest(url: url)
        request.httpMethod = method
        for (name, value) in headers {
            request.setValue(value, forHTTPHeaderField: name)
        }
        let isRead = method == "GET"
        if !isRead { request.setValue("close", forHTTPHeaderField: "Connection") }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await (isRead ? session : writeSession).data(for: request)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw TolokaError.transport(Self.describe(error))
        }
        guard let http = response as? HTTPURLResponse else {
            throw TolokaError.transport("not an HTTP response")
        }
        var lowered: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String {
                lowered[name.lowercased()] = value
            }
        }
        return HTTPAnswer(status: http.statusCode, headers: lowered, body: data)
    }

    private static func describe(_ error: Error) -> String {
        let nsError = error as NSError
        switch nsError.code {
        case NSURLErrorTimedOut: return "request timed out"
        case NSURLErrorCannotConnectToHost: return "cannot connect to the server"
        case NSURLErrorNetworkConnectionLost: return "connection lost"
        case NSURLErrorBadServerResponse: return "connection closed without an answer"
        default: return nsError.localizedDescription.lowercased()
        }
    }
}
