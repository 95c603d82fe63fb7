import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The session delegate of `URLSessionTransport`: collects each task's answer, refuses redirects,
/// and abandons a task whose body grows past the limit or whose deadline passed.
final class TransportExchanges: NSObject, URLSessionDataDelegate, Sendable {
    private struct Exchange {
        var continuation: CheckedContinuation<HTTPAnswer, any Error>
        var response: HTTPURLResponse?
        var body = Data()
        /// Set when this side gave up on the task; wins over the error the cancellation produces.
        var abandoned: String?
    }

    private let maxBodyBytes: Int
    private let exchanges = Mutex<[Int: Exchange]>([:])

    init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    func begin(_ task: URLSessionTask, continuation: CheckedContinuation<HTTPAnswer, any Error>) {
        exchanges.withLock { $0[task.taskIdentifier] = Exchange(continuation: continuation) }
    }

    /// Cancels `task` if it is still running, failing it with `reason`.
    func abandon(_ task: URLSessionTask, reason: String) {
        let running = exchanges.withLock { exchanges -> Bool in
            guard exchanges[task.taskIdentifier] != nil, exchanges[task.taskIdentifier]?.abandoned == nil else {
                return false
            }
            exchanges[task.taskIdentifier]?.abandoned = reason
            return true
        }
        if running { task.cancel() }
    }

    func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest,
        completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        // The 3xx itself becomes the answer: following it would carry the token to another origin.
        completionHandler(nil)
    }

    func urlSession(
        _ session: URLSession,
        dataTask: URLSessionDataTask,
        didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        let declared = response.expectedContentLength
        exchanges.withLock { $0[dataTask.taskIdentifier]?.response = response as? HTTPURLResponse }
        if declared > Int64(maxBodyBytes) {
            abandon(dataTask, reason: "answer body of \(declared) bytes is over the \(maxBodyBytes)-byte limit")
            completionHandler(.cancel)
            return
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let tooBig = exchanges.withLock { exchanges -> Bool in
            guard var exchange = exchanges[dataTask.taskIdentifier], exchange.abandoned == nil else { return false }
            guard exchange.body.count + data.count <= maxBodyBytes else { return true }
            exchange.body.append(data)
            exchanges[dataTask.taskIdentifier] = exchange
            return false
        }
        if tooBig {
            abandon(dataTask, reason: "answer body over the \(maxBodyBytes)-byte limit")
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let exchange = exchanges.withLock({ $0.removeValue(forKey: task.taskIdentifier) }) else { return }
        if let reason = exchange.abandoned {
            exchange.continuation.resume(throwing: TolokaError.transport(reason))
        } else if let error {
            exchange.continuation.resume(throwing: TolokaError.transport(Self.describe(error)))
        } else if let response = exchange.response ?? (task.response as? HTTPURLResponse) {
            var lowered: [String: String] = [:]
            for (name, value) in response.allHeaderFields {
                if let name = name as? String, let value = value as? String {
                    lowered[name.lowercased()] = value
                }
            }
            exchange.continuation.resume(
                returning: HTTPAnswer(status: response.statusCode, headers: lowered, body: exchange.body)
            )
        } else {
            exchange.continuation.resume(throwing: TolokaError.transport("not an HTTP response"))
        }
    }

    private static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        switch nsError.code {
        case NSURLErrorTimedOut: return "request timed out"
        case NSURLErrorCannotConnectToHost: return "cannot connect to the server"
        case NSURLErrorNetworkConnectionLost: return "connection lost"
        case NSURLErrorBadServerResponse: return "connection closed without an answer"
        case NSURLErrorCancelled: return "request cancelled"
        default: return nsError.localizedDescription.lowercased()
        }
    }
}
