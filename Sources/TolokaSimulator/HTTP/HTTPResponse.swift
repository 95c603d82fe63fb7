import Foundation
import JSONValue

/// An HTTP response; serialization always adds `Content-Length`.
struct HTTPResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    static func json(status: Int, _ value: JSONValue, headers: [(name: String, value: String)] = []) -> HTTPResponse {
        HTTPResponse(
            status: status,
            headers: [(name: "Content-Type", value: "application/json")] + headers,
            body: Array(value.serialized().utf8)
        )
    }

    static func html(status: Int, _ text: String) -> HTTPResponse {
        HTTPResponse(
            status: status,
            headers: [(name: "Content-Type", value: "text/html")],
            body: Array(text.utf8)
        )
    }

    func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.last { $0.name.lowercased() == wanted }?.value
    }

    func serialized(keepAlive: Bool) -> [UInt8] {
        serializedHead(contentLength: body.count, keepAlive: keepAlive) + body
    }

    /// The status line and headers only, declaring `contentLength` bytes of body to follow
    /// (none when nil: the body then ends when the connection closes).
    func serializedHead(contentLength: Int?, keepAlive: Bool) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(Self.reasonPhrase(for: status))\r\n"
        head += "Server: toloka-simulator\r\n"
        if header("Date") == nil {
            // Answers made below the routes (a request that does not parse) still carry one.
            head += "Date: \(HTTPDate.format(Date()))\r\n"
        }
        for (name, value) in headers {
            head += "\(name): \(value)\r\n"
        }
        if let contentLength { head += "Content-Length: \(contentLength)\r\n" }
        head += "Connection: \(keepAlive ? "keep-alive" : "close")\r\n\r\n"
        return Array(head.utf8)
    }

    static func reasonPhrase(for status: Int) -> String {
        switch status {
        case 200: "OK"
        case 202: "Accepted"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 409: "Conflict"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "Status \(status)"
        }
    }
}

/// What a handler wants done with a request: answer it, or drop the connection silently (a fault).
enum HTTPHandlerResult: Sendable {
    case respond(HTTPResponse)
    case drop
    /// `head` with `length` bytes of filler body, sent `chunk` bytes at a time with `pause` between (a fault);
    /// the length is declared when `framed`, else the body ends when the connection closes.
    case stream(head: HTTPResponse, length: Int, chunk: Int, pause: Duration, framed: Bool)
}
