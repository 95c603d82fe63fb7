import Foundation
import Testing

@testable import BatchCloneKit

/// The error decoding the issue's misbehaving servers need: request_id, non-envelope 4xx, redirects, Retry-After caps.
@Suite struct TolokaErrorSemanticsTests {
    private let now = Date(timeIntervalSince1970: 1_700_000_000)

    private func decode(_ status: Int, _ body: String, headers: [String: String] = [:]) -> TolokaError {
        TolokaErrorDecoder.decode(status: status, headers: headers, body: Data(body.utf8), now: now)
    }

    @Test func requestIDIsKeptAndNamedInTheDescription() {
        let error = decode(409, #"{"request_id":"r-42","code":"INAPPROPRIATE_STATUS","message":"pool is archived"}"#)
        #expect(
            error
                == .api(
                    status: 409,
                    code: "INAPPROPRIATE_STATUS",
                    message: "pool is archived",
                    interval: nil,
                    retryAfter: nil,
                    requestID: "r-42"
                )
        )
        #expect(error.description == "HTTP 409 INAPPROPRIATE_STATUS: pool is archived (request_id r-42)")
        #expect(FailureKind(error) == .rejected)
    }

    @Test func onlyALockIsBusy() {
        let locked = decode(409, #"{"request_id":"a","code":"POOL_LOCKED_BY_ANOTHER_OPERATION","message":"m"}"#)
        let conflict = decode(409, #"{"request_id":"b","code":"CONFLICT_STATE","message":"m"}"#)
        #expect(FailureKind(locked) == .busy)
        #expect(FailureKind(conflict) == .rejected)
        #expect(conflict.description.contains("CONFLICT_STATE"))
    }

    @Test func aPayloadThatIsNotAnObjectIsNoEnvelopeButStillARefusal() {
        let error = decode(
            409,
            #"{"code":"CONFLICT_STATE","payload":["x"]}"#,
            headers: ["content-type": "application/json"]
        )
        guard case .unexpectedResponse(409, _, "application/json") = error else {
            Issue.record("expected an unexpected response, got \(error)")
            return
        }
        #expect(FailureKind(error) == .rejected)
    }

    @Test(arguments: [400, 403, 409, 422])
    func anHTMLPageOnA4xxIsARefusalNamingStatusAndContentType(status: Int) {
        let error = decode(status, "<html><body>blocked by proxy</body></html>", headers: ["content-type": "text/html"])
        #expect(FailureKind(error) != .transient)
        #expect(error.description.hasPrefix("HTTP \(status) (text/html) with an unexpected body"))
    }

    @Test func aRedirectNamesTheStatusAndOnlyTheOriginOfItsTarget() {
        let error = decode(302, "", headers: ["location": "http://127.0.0.1:9999/steal?token=1"])
        #expect(error == .redirected(status: 302, location: "http://127.0.0.1:9999"))
        #expect(error.description.contains("HTTP 302 redirect to http://127.0.0.1:9999, not followed"))
        #expect(!error.description.contains("steal"))
        #expect(decode(307, "") == .redirected(status: 307, location: "(no location)"))
    }

    @Test(
        arguments: [("MIN", 61.0), ("HOUR", 3601), ("DAY", 86_401), (nil, 86_401), ("SECOND", 86_401)]
            as [(String?, Double)]
    )
    func retryAfterIsBelievedUpToTheNamedWindowPlusASecond(interval: String?, ceiling: Double) {
        #expect(RetryAfter.ceiling(interval: interval) == ceiling)
        #expect(RetryAfter.believed(30, interval: interval) == 30)
        #expect(RetryAfter.believed(ceiling, interval: interval) == ceiling)
        #expect(RetryAfter.believed(ceiling + 1, interval: interval) == ceiling)
        #expect(RetryAfter.believed(1e12, interval: interval) == ceiling)
    }

    @Test func aFarFutureRetryAfterDateBlocksNoLongerThanTheWindow() {
        let header = ["retry-after": "Fri, 31 Dec 9999 23:59:59 GMT"]
        let minute = decode(
            429,
            #"{"code":"TOO_MANY_REQUESTS","message":"m","payload":{"interval":"MIN"}}"#,
            headers: header
        )
        let unnamed = decode(429, #"{"code":"TOO_MANY_REQUESTS","message":"m"}"#, headers: header)
        let html = decode(429, "<html>slow down</html>", headers: header)
        #expect(FailureKind(minute) == .rateLimited(interval: "MIN", retryAfter: 61))
        #expect(FailureKind(unnamed) == .rateLimited(interval: nil, retryAfter: 86_401))
        #expect(FailureKind(html) == .rateLimited(interval: nil, retryAfter: 86_401))
    }

    @Test func aShortRetryAfterIsBelievedAsIs() {
        let error = decode(
            429,
            #"{"code":"TOO_MANY_REQUESTS","message":"m","payload":{"interval":"DAY"}}"#,
            headers: ["retry-after": "5000"]
        )
        #expect(FailureKind(error) == .rateLimited(interval: "DAY", retryAfter: 5000))
    }
}
