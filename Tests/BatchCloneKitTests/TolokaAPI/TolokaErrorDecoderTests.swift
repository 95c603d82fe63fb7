import Foundation
import Testing

@testable import BatchCloneKit

@Suite struct TolokaErrorDecoderTests {
    private let now = Date(timeIntervalSince1970: 1_445_412_450)  // 30 s before Wed, 21 Oct 2015 07:28:00 GMT

    private func decode(_ status: Int, _ body: String, headers: [String: String] = [:]) -> TolokaError {
        TolokaErrorDecoder.decode(status: status, headers: headers, body: Data(body.utf8), now: now)
    }

    @Test func theJSONEnvelopeIsRead() {
        let error = decode(
            429,
            #"{"request_id":"r1","code":"TOO_MANY_REQUESTS","message":"Too many","payload":{"interval":"DAY","limit":100}}"#
        )
        #expect(
            error
                == .api(
                    status: 429,
                    code: "TOO_MANY_REQUESTS",
                    message: "Too many",
                    interval: "DAY",
                    retryAfter: nil,
                    requestID: "r1"
                )
        )
        #expect(
            decode(404, #"{"code":"DOES_NOT_EXIST"}"#)
                == .api(status: 404, code: "DOES_NOT_EXIST", message: "", interval: nil, retryAfter: nil)
        )
        #expect(
            decode(400, #"{"code":"VALIDATION_ERROR","message":"bad","payload":{"pool_id":"required"}}"#)
                == .api(status: 400, code: "VALIDATION_ERROR", message: "bad", interval: nil, retryAfter: nil)
        )
    }

    @Test func retryAfterHeaderIsParsedInSecondsOrAsADate() {
        #expect(
            decode(429, #"{"code":"TOO_MANY_REQUESTS"}"#, headers: ["retry-after": "12"])
                == .api(status: 429, code: "TOO_MANY_REQUESTS", message: "", interval: nil, retryAfter: 12)
        )
        #expect(
            decode(
                503,
                #"{"code":"REMOTE_SERVICE_UNAVAILABLE"}"#,
                headers: ["retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"]
            )
                == .api(status: 503, code: "REMOTE_SERVICE_UNAVAILABLE", message: "", interval: nil, retryAfter: 30)
        )
        #expect(
            decode(429, #"{"code":"TOO_MANY_REQUESTS"}"#, headers: ["retry-after": "later"])
                == .api(status: 429, code: "TOO_MANY_REQUESTS", message: "", interval: nil, retryAfter: nil)
        )
    }

    @Test func aProxyPageIsAnUnexpectedResponse() {
        #expect(
            decode(502, "<html>\n<body>Bad Gateway</body>\n</html>\n")
                == .unexpectedResponse(status: 502, snippet: "<html> <body>Bad Gateway</body> </html>")
        )
        #expect(decode(500, "") == .unexpectedResponse(status: 500, snippet: "(empty body)"))
        #expect(
            decode(500, #"{"message":"no code"}"#)
                == .unexpectedResponse(status: 500, snippet: #"{"message":"no code"}"#)
        )
    }

    @Test func aLongBodyIsCutTo200Bytes() {
        let body = String(repeating: "x", count: 1000)
        #expect(decode(503, body) == .unexpectedResponse(status: 503, snippet: String(repeating: "x", count: 200)))
    }

    @Test func a429WithoutTheEnvelopeIsStillTooManyRequests() {
        #expect(
            decode(429, "<html>Slow down</html>", headers: ["retry-after": "3"])
                == .api(
                    status: 429,
                    code: "TOO_MANY_REQUESTS",
                    message: "<html>Slow down</html>",
                    interval: nil,
                    retryAfter: 3
                )
        )
    }
}
