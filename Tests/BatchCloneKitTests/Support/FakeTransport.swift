import Foundation
import Synchronization
import Testing

@testable import BatchCloneKit

/// An HTTP transport that records every request and answers from a script.
final class FakeTransport: HTTPTransport {
    struct Request: Sendable {
        var method: String
        var url: URL
        var headers: [String: String]
        /// The body of a PUT, as sent.
        var body: Data? = nil
        /// The percent-encoded query, as sent.
        var query: String? { URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedQuery }
        var path: String { url.path }
    }

    enum Reply: Sendable {
        case answer(HTTPAnswer)
        case fail(TolokaError)

        static func json(_ status: Int, _ text: String, headers: [String: String] = [:]) -> Reply {
            .answer(HTTPAnswer(status: status, headers: headers, body: Data(text.utf8)))
        }
    }

    private struct State {
        var script: [Reply]
        var fallback: Reply?
        var requests: [Request] = []
    }

    private let state: Mutex<State>

    /// Answers with `script` in order, then `fallback` forever (a test fails if neither is left).
    init(_ script: [Reply], fallback: Reply? = nil) {
        state = Mutex(State(script: script, fallback: fallback))
    }

    var requests: [Request] { state.withLock { $0.requests } }

    func send(method: String, url: URL, headers: [String: String]) async throws -> HTTPAnswer {
        try await reply(Request(method: method, url: url, headers: headers))
    }

    func send(method: String, url: URL, headers: [String: String], body: Data) async throws -> HTTPAnswer {
        try await reply(Request(method: method, url: url, headers: headers, body: body))
    }

    private func reply(_ request: Request) async throws -> HTTPAnswer {
        let (method, url) = (request.method, request.url)
        let reply: Reply? = state.withLock { state in
            state.requests.append(request)
            return state.script.isEmpty ? state.fallback : state.script.removeFirst()
        }
        switch reply {
        case .answer(let answer): return answer
        case .fail(let error): throw error
        case nil:
            Issue.record("FakeTransport: unexpected request \(method) \(url)")
            throw TolokaError.transport("no scripted answer")
        }
    }
}
