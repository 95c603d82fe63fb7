import Testing

@testable import BatchCloneKit

@Suite struct FailureKindTests {
    private static func api(_ status: Int, _ code: String, interval: String? = nil, retryAfter: Double? = nil)
        -> TolokaError
    {
        .api(status: status, code: code, message: "m", interval: interval, retryAfter: retryAfter)
    }

    static let table: [(TolokaError, FailureKind)] = [
        (.transport("timed out"), .transient),
        (api(401, "AUTHENTICATION_ERROR"), .authentication),
        (api(401, "WHATEVER"), .authentication),
        (api(400, "AUTHENTICATION_ERROR"), .authentication),
        (api(403, "ACCESS_DENIED"), .accessDenied),
        (api(400, "ACCESS_DENIED"), .accessDenied),
        (api(404, "DOES_NOT_EXIST"), .notFound),
        (api(400, "DOES_NOT_EXIST"), .notFound),
        (api(409, "CONFLICT_STATE"), .rejected),
        (api(409, "INAPPROPRIATE_STATUS"), .rejected),
        (api(409, "SOMETHING_NEW"), .rejected),
        (api(400, "POOL_LOCKED_BY_ANOTHER_OPERATION"), .rejected),
        (api(409, "POOL_LOCKED_BY_ANOTHER_OPERATION"), .busy),
        (api(429, "TOO_MANY_REQUESTS", interval: "DAY", retryAfter: 12), .rateLimited(interval: "DAY", retryAfter: 12)),
        (api(429, "SOMETHING"), .rateLimited(interval: nil, retryAfter: nil)),
        (api(400, "TOO_MANY_REQUESTS", interval: "MIN"), .rateLimited(interval: "MIN", retryAfter: nil)),
        (api(500, "INTERNAL_ERROR"), .transient),
        (api(503, "REMOTE_SERVICE_UNAVAILABLE"), .transient),
        (api(408, "TIMEOUT"), .transient),
        (api(400, "VALIDATION_ERROR"), .rejected),
        (api(422, "X"), .rejected),
        (.unexpectedResponse(status: 401, snippet: "<html>"), .authentication),
        (.unexpectedResponse(status: 403, snippet: "<html>"), .accessDenied),
        (.unexpectedResponse(status: 404, snippet: "<html>"), .notFound),
        (.unexpectedResponse(status: 429, snippet: "<html>"), .rateLimited(interval: nil, retryAfter: nil)),
        (.unexpectedResponse(status: 502, snippet: "<html>"), .transient),
        (.unexpectedResponse(status: 202, snippet: "not json"), .transient),
        (.unexpectedResponse(status: 400, snippet: "<html>", contentType: "text/html"), .rejected),
        (.unexpectedResponse(status: 409, snippet: #"{"code":"X","payload":[]}"#), .rejected),
        (.unexpectedResponse(status: 418, snippet: ""), .rejected),
        (.unexpectedResponse(status: 408, snippet: "<html>"), .transient),
        (.unexpectedResponse(status: 504, snippet: "<html>"), .transient),
        (.redirected(status: 302, location: "http://127.0.0.1:9"), .rejected),
        (.redirected(status: 307, location: "https://elsewhere.example"), .rejected),
    ]

    @Test(arguments: table)
    func classifies(error: TolokaError, kind: FailureKind) {
        #expect(FailureKind(error) == kind)
    }

    @Test func onlyTransientRateLimitedAndBusyReadsAreRetried() {
        #expect(FailureKind.transient.isRetryableRead)
        #expect(FailureKind.rateLimited(interval: nil, retryAfter: nil).isRetryableRead)
        #expect(FailureKind.busy.isRetryableRead)
        #expect(!FailureKind.authentication.isRetryableRead)
        #expect(!FailureKind.accessDenied.isRetryableRead)
        #expect(!FailureKind.notFound.isRetryableRead)
        #expect(!FailureKind.rejected.isRetryableRead)
    }

    @Test func errorDescriptions() {
        #expect(
            TolokaError.api(
                status: 429,
                code: "TOO_MANY_REQUESTS",
                message: "slow down",
                interval: "MIN",
                retryAfter: nil
            )
            .description == "HTTP 429 TOO_MANY_REQUESTS (MIN window): slow down"
        )
        #expect(
            TolokaError.api(status: 404, code: "DOES_NOT_EXIST", message: "", interval: nil, retryAfter: nil)
                .description == "HTTP 404 DOES_NOT_EXIST"
        )
        #expect(TolokaError.transport("dropped").description == "no answer from the server: dropped")
        #expect(TolokaError.transport("dropped").status == nil)
        #expect(TolokaError.unexpectedResponse(status: 502, snippet: "x").status == 502)
    }
}
