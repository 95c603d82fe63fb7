import Foundation
import JSONValue

/// The HTTP client of the Toloka API: authentication, pacing, JSON, and retries of GETs only.
public struct TolokaClient: TolokaAPI {
    /// Called before a GET is retried: the request, the error, and the wait in seconds.
    public typealias RetryObserver = @Sendable (_ request: String, _ error: TolokaError, _ wait: TimeInterval) -> Void

    let baseURL: URL
    let authorization: String
    let actUnderAccount: String?
    let transport: any HTTPTransport
    let clock: any BatchClock
    let retryPolicy: RetryPolicy
    let jitter: @Sendable () -> Double
    let pacer: RequestPacer
    let onRetry: RetryObserver?

    /// A client of the API at `baseURL` (e.g. `https://toloka.dev/api/v1`) sending `authorization` as is,
    /// acting under the shared account `actUnderAccount` if given (`X-Act-Under-Account-ID`).
    public init(
        baseURL: URL,
        authorization: String,
        actUnderAccount: String? = nil,
        transport: any HTTPTransport,
        clock: any BatchClock,
        retryPolicy: RetryPolicy = RetryPolicy(),
        requestLimit: RateLimit = RateLimit(count: 300, window: .seconds(1)),
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        onRetry: RetryObserver? = nil
    ) {
        self.baseURL = baseURL
        self.authorization = authorization
        self.actUnderAccount = actUnderAccount
        self.transport = transport
        self.clock = clock
        self.retryPolicy = retryPolicy
        self.jitter = jitter
        self.pacer = RequestPacer(limit: requestLimit, clock: clock)
        self.onRetry = onRetry
    }

    public func check(_ id: String, of target: CloneTarget) async throws {
        _ = try await get("\(target.collection)/\(id)")
    }

    public func clone(_ id: String, of target: CloneTarget) async throws -> TolokaOperation {
        let answer = try await request("POST", path: "\(target.collection)/\(id)/clone")
        return try decode(TolokaOperation.self, answer, what: "clone of \(target) \(id)")
    }

    public func operation(_ id: String) async throws -> TolokaOperation {
        try decode(TolokaOperation.self, try await get("operations/\(id)"), what: "operation \(id)")
    }

    public func operations(_ query: OperationQuery) async throws -> OperationPage {
        var items = [
            URLQueryItem(
                name: "submitted_gte",
                value: UTCTimestamp.format(query.submittedAtOrAfter, zone: false)
            ),
            URLQueryItem(name: "sort", value: "id"),
            URLQueryItem(name: "limit", value: String(query.limit)),
        ]
        if let type = query.type { items.insert(URLQueryItem(name: "type", value: type), at: 0) }
        if let after = query.idAfter { items.append(URLQueryItem(name: "id_gt", value: after)) }
        let answer = try await get("operations", query: items)
        var page = try decode(OperationPage.self, answer, what: "operation list")
        if let date = answer.headers["date"].flatMap(RetryAfter.httpDate) {
            page.serverDate = ServerInstant(epochMilliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded()))
            page.receivedAt = clock.localNow
        }
        return page
    }

    public func object(_ id: String, of target: CloneTarget) async throws -> JSONValue {
        let answer = try await get("\(target.collection)/\(id)")
        guard let object = JSONValue.parse([UInt8](answer.body)), object.members != nil else {
            throw TolokaError.unexpectedResponse(
                status: answer.status,
                snippet: "\(target) \(id): " + String(decoding: answer.body.prefix(200), as: UTF8.self),
                contentType: answer.headers["content-type"]
            )
        }
        return object
    }

    public func replace(_ id: String, of target: CloneTarget, with object: JSONValue) async throws {
        let body = Data(object.serialized().utf8)
        _ = try await idempotent("PUT", path: "\(target.collection)/\(id)", body: body, retryRateLimits: false)
    }

    public func open(_ id: String, of target: CloneTarget) async throws -> TolokaOperation? {
        let answer = try await idempotent("POST", path: "\(target.collection)/\(id)/open", retryRateLimits: false)
        if answer.status == 204 { return nil }
        return try decode(TolokaOperation.self, answer, what: "open of \(target) \(id)")
    }

    /// A GET, repeated with backoff on transient faults and 429s.
    private func get(_ path: String, query: [URLQueryItem] = []) async throws -> HTTPAnswer {
        try await idempotent("GET", path: path, query: query)
    }

    /// A request that may be repeated without harm (a GET, a PUT of a whole object, an open),
    /// repeated with backoff on transient faults, and on 429s when `retryRateLimits` (a step's 429
    /// is the run's to wait out, over the server's whole window).
    private func idempotent(
        _ method: String,
        path: String,
        query: [URLQueryItem] = [],
        body: Data? = nil,
        retryRateLimits: Bool = true
    ) async throws -> HTTPAnswer {
        var attempt = 1
        while true {
            do {
                return try await request(method, path: path, query: query, body: body)
            } catch let error as TolokaError {
                let kind = FailureKind(error)
                var retryAfter: Double?
                if case .rateLimited(_, let seconds) = kind {
                    guard retryRateLimits else { throw error }
                    retryAfter = seconds ?? 1
                }
                guard kind.isRetryableRead,
                    let wait = retryPolicy.delay(afterAttempt: attempt, unit: jitter(), retryAfter: retryAfter)
                else { throw error }
                onRetry?("\(method) /\(path)", error, wait)
                try await clock.sleep(for: wait)
                attempt += 1
            }
        }
    }

    private func request(_ method: String, path: String, query: [URLQueryItem] = [], body: Data? = nil)
        async throws -> HTTPAnswer
    {
        var components = URLComponents(url: baseURL.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        if !query.isEmpty {
            components.queryItems = query
            // URLComponents leaves ':' and '+' alone; the API wants dates fully encoded.
            components.percentEncodedQuery = components.percentEncodedQuery?
                .replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: "+", with: "%2B")
        }
        try await pacer.acquire()
        var headers = ["Authorization": authorization, "Accept": "application/json"]
        if let actUnderAccount { headers["X-Act-Under-Account-ID"] = actUnderAccount }
        let answer: HTTPAnswer
        if let body {
            headers["Content-Type"] = "application/json"
            answer = try await transport.send(method: method, url: components.url!, headers: headers, body: body)
        } else {
            answer = try await transport.send(method: method, url: components.url!, headers: headers)
        }
        guard (200..<300).contains(answer.status) else {
            throw TolokaErrorDecoder.decode(
                status: answer.status,
                headers: answer.headers,
                body: answer.body,
                now: clock.now
            )
        }
        return answer
    }

    private func decode<T: Decodable>(_ type: T.Type, _ answer: HTTPAnswer, what: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: answer.body)
        } catch {
            var snippet = String(decoding: answer.body.prefix(200), as: UTF8.self)
            if case DecodingError.dataCorrupted(let context) = error, !context.codingPath.isEmpty {
                snippet = "\(context.debugDescription): \(snippet)"
            }
            throw TolokaError.unexpectedResponse(
                status: answer.status,
                snippet: "\(what): \(snippet)",
                contentType: answer.headers["content-type"]
            )
        }
    }
}
