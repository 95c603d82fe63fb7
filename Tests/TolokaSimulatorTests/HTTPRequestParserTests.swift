import Testing

@testable import TolokaSimulator

struct HTTPRequestParserTests {
    @Test func parsesARequestSplitAcrossReads() throws {
        let text =
            "POST /api/v1/pools/1/clone HTTP/1.1\r\nHost: x\r\nAuthorization: ApiKey k\r\nContent-Length: 2\r\n\r\n{}"
        var buffer: [UInt8] = []
        var completed: HTTPRequest?
        for byte in Array(text.utf8) {
            buffer.append(byte)
            if case .complete(let request) = HTTPRequestParser.parse(&buffer) {
                completed = request
            }
        }
        let request = try #require(completed)
        #expect(request.method == "POST")
        #expect(request.path == "/api/v1/pools/1/clone")
        #expect(request.header("AUTHORIZATION") == "ApiKey k")
        #expect(request.body == Array("{}".utf8))
        #expect(buffer.isEmpty)
    }

    @Test func leavesTheNextRequestInTheBuffer() {
        var buffer = Array("GET /a HTTP/1.1\r\n\r\nGET /b?x=1 HTTP/1.1\r\nConnection: close\r\n\r\n".utf8)
        guard case .complete(let first) = HTTPRequestParser.parse(&buffer),
            case .complete(let second) = HTTPRequestParser.parse(&buffer)
        else {
            Issue.record("expected two requests")
            return
        }
        #expect(first.path == "/a" && first.keepAlive)
        #expect(second.path == "/b" && second.query == ["x": "1"] && !second.keepAlive)
    }

    @Test(arguments: [
        "GARBAGE\r\n\r\n", "GET /x\r\n\r\n", "GET /x HTTP/2\r\n\r\n", "GET /x HTTP/1.1\r\nNoColon\r\n\r\n",
        "GET /x HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
    ])
    func rejectsMalformedRequests(_ text: String) {
        var buffer = Array(text.utf8)
        guard case .invalid = HTTPRequestParser.parse(&buffer) else {
            Issue.record("expected invalid for \(text)")
            return
        }
    }

    @Test func decodesQueryParameters() {
        let request = HTTPRequest(
            method: "GET",
            target: "/api/v1/operations?submitted_gte=2024-01-02T03%3A04%3A05&type=POOL.CLONE&a=b+c"
        )
        #expect(request.query["submitted_gte"] == "2024-01-02T03:04:05")
        #expect(request.query["type"] == "POOL.CLONE")
        #expect(request.query["a"] == "b c")
    }
}
