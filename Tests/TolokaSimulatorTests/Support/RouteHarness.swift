import Foundation

@testable import TolokaSimulator

/// One answer from the routes, decoded for assertions.
struct RouteAnswer {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    var dropped: Bool
    /// For a streamed fault: the declared body length, the piece size and the pause between pieces.
    var streamed: (length: Int, chunk: Int, pause: Duration)? = nil

    func header(_ name: String) -> String? {
        headers.last { $0.name.lowercased() == name.lowercased() }?.value
    }

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
    }

    var code: String? { json["code"] as? String }
    var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
}

/// Drives `SimulatorRoutes` synchronously with explicit times, the way the server would.
struct RouteHarness {
    static let start = Date(timeIntervalSince1970: 1_700_000_000)

    var routes: SimulatorRoutes

    init(_ configure: (inout SimulatorConfiguration) -> Void = { _ in }) {
        var configuration = SimulatorConfiguration()
        configuration.operationLatency = 1...1
        configure(&configuration)
        routes = SimulatorRoutes(configuration: configuration, now: Self.start)
    }

    var stats: SimulatorStats { routes.account.stats }

    @discardableResult
    mutating func send(
        _ method: String,
        _ path: String,
        at seconds: Double = 0,
        authorization: String? = "ApiKey secret",
        body: [UInt8] = []
    ) -> RouteAnswer {
        var headers: [(name: String, value: String)] = []
        if let authorization {
            headers.append((name: "Authorization", value: authorization))
        }
        let request = HTTPRequest(method: method, target: path, headers: headers, body: body)
        switch routes.respond(to: request, now: Self.start.addingTimeInterval(seconds)) {
        case .drop:
            return RouteAnswer(status: 0, headers: [], body: [], dropped: true)
        case .respond(let response):
            return RouteAnswer(status: response.status, headers: response.headers, body: response.body, dropped: false)
        case .stream(let head, let length, let chunk, let pause, _):
            return RouteAnswer(
                status: head.status,
                headers: head.headers,
                body: [],
                dropped: false,
                streamed: (length, chunk, pause)
            )
        }
    }

    @discardableResult
    mutating func clone(_ pool: String, at seconds: Double = 0) -> RouteAnswer {
        send("POST", "/api/v1/pools/\(pool)/clone", at: seconds)
    }

    /// `PUT` of a JSON object, as a client sends back what it read and edited.
    @discardableResult
    mutating func put(_ path: String, _ object: [String: Any], at seconds: Double = 0) -> RouteAnswer {
        let body = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        return send("PUT", path, at: seconds, body: Array(body))
    }

    /// The object `GET` shows with `edit` applied, sent back whole by `PUT`.
    @discardableResult
    mutating func edit(_ path: String, at seconds: Double = 0, _ edit: (inout [String: Any]) -> Void) -> RouteAnswer {
        var object = send("GET", path, at: seconds).json
        edit(&object)
        return put(path, object, at: seconds)
    }
}
