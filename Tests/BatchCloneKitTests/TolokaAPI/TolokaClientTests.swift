import BatchCloneTestSupport
import Foundation
import Synchronization
import Testing

@testable import BatchCloneKit

@Suite struct TolokaClientTests {
    private let base = URL(string: "https://toloka.test/api/v1")!

    private func client(
        _ transport: FakeTransport,
        clock: WarpClock = WarpClock(),
        retryPolicy: RetryPolicy = RetryPolicy(),
        requestLimit: RateLimit = RateLimit(count: 300, window: .seconds(1)),
        onRetry: TolokaClient.RetryObserver? = nil
    ) -> TolokaClient {
        TolokaClient(
            baseURL: base,
            authorization: "ApiKey secret.key.value",
            transport: transport,
            clock: clock,
            retryPolicy: retryPolicy,
            requestLimit: requestLimit,
            jitter: { 0 },
            onRetry: onRetry
        )
    }

    private static let operationJSON = #"""
        {"id":"op-1","type":"POOL.CLONE","status":"RUNNING","submitted":"2026-05-28T20:26:40.123",
         "progress":0,"parameters":{"pool_id":"123"}}
        """#
    private static let ok = FakeTransport.Reply.json(200, #"{"id":"123","status":"OPEN"}"#)
    private static func envelope(_ status: Int, _ code: String, headers: [String: String] = [:]) -> FakeTransport.Reply
    {
        .json(status, #"{"request_id":"r","code":"\#(code)","message":"m"}"#, headers: headers)
    }

    // MARK: - Requests

    @Test func checkPoolSendsOneAuthorizedGet() async throws {
        let transport = FakeTransport([Self.ok])
        try await client(transport).checkPool("123")
        let request = try #require(transport.requests.first)
        #expect(transport.requests.count == 1)
        #expect(request.method == "GET")
        #expect(request.url.absoluteString == "https://toloka.test/api/v1/pools/123")
        #expect(request.headers["Authorization"] == "ApiKey secret.key.value")
        #expect(request.headers["Accept"] == "application/json")
    }

    @Test func authorizationIsPassedAsGiven() async throws {
        let transport = FakeTransport([Self.ok])
        let oauth = TolokaClient(
            baseURL: base,
            authorization: "OAuth AQAA-token",
            transport: transport,
            clock: WarpClock(),
            jitter: { 0 }
        )
        try await oauth.checkPool("9")
        #expect(transport.requests.map { $0.headers["Authorization"] } == ["OAuth AQAA-token"])
    }

    @Test func aSharedAccountIsNamedOnEveryRequest() async throws {
        let transport = FakeTransport([Self.ok, .json(202, Self.operationJSON)])
        let shared = TolokaClient(
            baseURL: base,
            authorization: "OAuth t",
            actUnderAccount: "team-7",
            transport: transport,
            clock: WarpClock(),
            jitter: { 0 }
        )
        try await shared.checkPool("9")
        _ = try await shared.clonePool("9")
        #expect(transport.requests.map { $0.headers["X-Act-Under-Account-ID"] } == ["team-7", "team-7"])
        let plain = FakeTransport([Self.ok])
        try await client(plain).checkPool("9")
        #expect(plain.requests.first?.headers["X-Act-Under-Account-ID"] == nil)
    }

    @Test func clonePostsAndDecodesTheOperation() async throws {
        let transport = FakeTransport([.json(202, Self.operationJSON)])
        let operation = try await client(transport).clonePool("123")
        #expect(transport.requests.map(\.method) == ["POST"])
        #expect(transport.requests.first?.url.absoluteString == "https://toloka.test/api/v1/pools/123/clone")
        #expect(transport.requests.first?.headers["Authorization"] == "ApiKey secret.key.value")
        #expect(
            operation
                == TolokaOperation(
                    id: "op-1",
                    status: .running,
                    submitted: UTCTimestamp.parse("2026-05-28T20:26:40.123Z", as: ServerScale.self),
                    sourcePoolID: "123"
                )
        )
    }

    @Test func operationReadsOneOperation() async throws {
        let transport = FakeTransport([
            .json(
                200,
                #"""
                {"id":"op-7","type":"POOL.CLONE","status":"SUCCESS","submitted":"2026-05-28T20:26:40",
                 "finished":"2026-05-28T20:26:41.5","parameters":{"pool_id":"1"},"details":{"pool_id":"2"}}
                """#
            )
        ])
        let operation = try await client(transport).operation("op-7")
        #expect(transport.requests.first?.url.absoluteString == "https://toloka.test/api/v1/operations/op-7")
        #expect(operation.status == .success)
        #expect(operation.newPoolID == "2")
        #expect(operation.sourcePoolID == "1")
        #expect(operation.submitted?.epochMilliseconds == TestTime.start)
    }

    @Test func operationListQueryIsFullyEncoded() async throws {
        let transport = FakeTransport([
            .json(200, #"{"items":[\#(Self.operationJSON)],"has_more":true}"#),
            .json(200, #"{"items":[],"has_more":false}"#),
        ])
        let client = client(transport)
        let first = try await client.operations(
            OperationQuery(submittedAtOrAfter: ServerInstant(epochMilliseconds: TestTime.start + 5))
        )
        #expect(first.hasMore)
        #expect(first.items.map(\.id) == ["op-1"])
        let second = try await client.operations(
            OperationQuery(
                submittedAtOrAfter: ServerInstant(epochMilliseconds: TestTime.start),
                idAfter: "op-1",
                limit: 50
            )
        )
        #expect(second == OperationPage(items: [], hasMore: false))

        let requests = transport.requests
        #expect(requests.map(\.method) == ["GET", "GET"])
        #expect(requests.map(\.path) == ["/api/v1/operations", "/api/v1/operations"])
        #expect(requests[0].query == "type=POOL.CLONE&submitted_gte=2026-05-28T20%3A26%3A40.005&sort=id&limit=300")
        #expect(
            requests[1].query == "type=POOL.CLONE&submitted_gte=2026-05-28T20%3A26%3A40.000&sort=id&limit=50&id_gt=op-1"
        )
        #expect(requests.allSatisfy { !$0.url.absoluteString.contains(":40") })
    }

    // MARK: - Retries of GETs

    @Test func getsAreRetriedOnTransientFaultsHonouringRetryAfter() async throws {
        let clock = WarpClock()
        let retries = Mutex<[(String, TimeInterval)]>([])
        let transport = FakeTransport([
            Self.envelope(500, "INTERNAL_ERROR"),
            .answer(
                HTTPAnswer(
                    status: 502,
                    headers: ["content-type": "text/html"],
                    body: Data("<html>Bad Gateway</html>".utf8)
                )
            ),
            Self.envelope(503, "REMOTE_SERVICE_UNAVAILABLE"),
            .fail(.transport("request timed out")),
            Self.envelope(429, "TOO_MANY_REQUESTS", headers: ["retry-after": "7"]),
            Self.ok,
        ])
        let client = client(transport, clock: clock) { request, _, wait in
            retries.withLock { $0.append((request, wait)) }
        }
        try await client.checkPool("123")
        #expect(transport.requests.count == 6)
        #expect(transport.requests.allSatisfy { $0.method == "GET" && $0.url.path == "/api/v1/pools/123" })
        #expect(clock.sleepLengths == [0, 0, 0, 0, 7])
        #expect(clock.nowMilliseconds == TestTime.start + 7000)
        #expect(retries.withLock { $0.map(\.0) } == Array(repeating: "GET /pools/123", count: 5))
        #expect(retries.withLock { $0.map(\.1) } == [0, 0, 0, 0, 7])
    }

    @Test func a429WithoutRetryAfterWaitsOneSecond() async throws {
        let clock = WarpClock()
        let transport = FakeTransport([Self.envelope(429, "TOO_MANY_REQUESTS"), Self.ok])
        try await client(transport, clock: clock).checkPool("1")
        #expect(transport.requests.count == 2)
        #expect(clock.sleepLengths == [1])
    }

    @Test func aBusyPoolIsReadAgain() async throws {
        let transport = FakeTransport([Self.envelope(409, "POOL_LOCKED_BY_ANOTHER_OPERATION"), Self.ok])
        try await client(transport).checkPool("1")
        #expect(transport.requests.count == 2)
    }

    @Test func aPermanentConflictIsNotReadAgain() async {
        let transport = FakeTransport([Self.envelope(409, "CONFLICT_STATE")], fallback: Self.ok)
        await #expect(throws: TolokaError.self) { try await client(transport).checkPool("1") }
        #expect(transport.requests.count == 1)
    }

    @Test func backoffGrowsWithFullJitter() async throws {
        let clock = WarpClock()
        let transport = FakeTransport([], fallback: Self.envelope(503, "REMOTE_SERVICE_UNAVAILABLE"))
        let client = TolokaClient(
            baseURL: base,
            authorization: "x",
            transport: transport,
            clock: clock,
            retryPolicy: RetryPolicy(maxAttempts: 5, baseDelay: 0.5, maxDelay: 3),
            jitter: { 1 }
        )
        await #expect(throws: TolokaError.self) { try await client.checkPool("1") }
        #expect(clock.sleepLengths == [0.5, 1, 2, 3])
    }

    @Test func aGetGivesUpAfterMaxAttemptsWithTheLastError() async {
        let transport = FakeTransport([], fallback: Self.envelope(503, "REMOTE_SERVICE_UNAVAILABLE"))
        let clock = WarpClock()
        await #expect(
            throws: TolokaError.api(
                status: 503,
                code: "REMOTE_SERVICE_UNAVAILABLE",
                message: "m",
                interval: nil,
                retryAfter: nil,
                requestID: "r"
            )
        ) {
            try await client(transport, clock: clock).operation("op-1")
        }
        #expect(transport.requests.count == RetryPolicy().maxAttempts)
        #expect(clock.sleeps.count == RetryPolicy().maxAttempts - 1)

        let three = FakeTransport([], fallback: .fail(.transport("connection lost")))
        await #expect(throws: TolokaError.transport("connection lost")) {
            try await client(three, retryPolicy: RetryPolicy(maxAttempts: 3)).checkPool("1")
        }
        #expect(three.requests.count == 3)
    }

    @Test(arguments: [
        (401, "AUTHENTICATION_ERROR"), (403, "ACCESS_DENIED"), (404, "DOES_NOT_EXIST"), (400, "VALIDATION_ERROR"),
    ])
    func definiteAnswersAreNotRetried(status: Int, code: String) async {
        let transport = FakeTransport([Self.envelope(status, code)], fallback: Self.ok)
        await #expect(
            throws: TolokaError.api(
                status: status,
                code: code,
                message: "m",
                interval: nil,
                retryAfter: nil,
                requestID: "r"
            )
        ) {
            try await client(transport).checkPool("1")
        }
        #expect(transport.requests.count == 1)
    }

    // MARK: - The clone POST is never repeated

    static let cloneFailures: [FakeTransport.Reply] = [
        envelope(500, "INTERNAL_ERROR"),
        envelope(503, "REMOTE_SERVICE_UNAVAILABLE"),
        envelope(429, "TOO_MANY_REQUESTS", headers: ["retry-after": "1"]),
        envelope(409, "CONFLICT_STATE"),
        .json(502, "<html>Bad Gateway</html>"),
        .fail(.transport("connection lost")),
    ]

    @Test(arguments: cloneFailures)
    func aCloneIsSentExactlyOnceWhateverHappens(reply: FakeTransport.Reply) async {
        let clock = WarpClock()
        let transport = FakeTransport([reply], fallback: .json(202, Self.operationJSON))
        await #expect(throws: TolokaError.self) { try await client(transport, clock: clock).clonePool("123") }
        #expect(transport.requests.count == 1)
        #expect(transport.requests.first?.method == "POST")
        #expect(clock.sleeps.isEmpty)
    }

    @Test func aNonJSONAcceptedCloneIsAnUnexpectedResponse() async {
        let transport = FakeTransport([.json(202, "<html>queued</html>")])
        await #expect(
            throws: TolokaError.unexpectedResponse(status: 202, snippet: "clone of pool 123: <html>queued</html>")
        ) {
            try await client(transport).clonePool("123")
        }
        #expect(transport.requests.count == 1)
    }

    @Test func aNonJSONOperationListIsAnUnexpectedResponse() async {
        let transport = FakeTransport([.json(200, #"{"items": "nope"}"#)])
        await #expect {
            try await client(transport).operations(
                OperationQuery(submittedAtOrAfter: ServerInstant(epochMilliseconds: 0))
            )
        } throws: { error in
            guard case TolokaError.unexpectedResponse(200, let snippet, _) = error else { return false }
            return snippet.hasPrefix("operation list: ")
        }
    }

    // MARK: - Pacing

    @Test func theGlobalRequestCapPacesRequests() async throws {
        let clock = WarpClock()
        let transport = FakeTransport([], fallback: Self.ok)
        let client = client(transport, clock: clock, requestLimit: RateLimit(count: 2, window: .seconds(1)))
        for _ in 0..<5 { try await client.checkPool("1") }
        #expect(transport.requests.count == 5)
        // 2 per second plus the default 2% margin: the 3rd request waits until 1.02 s.
        #expect(clock.sleeps.map { $0.until.epochMilliseconds - TestTime.start } == [1020, 2040])
    }
}
