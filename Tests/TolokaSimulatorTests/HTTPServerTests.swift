import Foundation
import Testing

@testable import TolokaSimulator

struct HTTPServerTests {
    /// A server that echoes the path, so tests see which request each answer belongs to.
    func echoServer() throws -> (HTTPServer, Int) {
        let server = HTTPServer { request in
            if request.path == "/drop" { return .drop }
            return .respond(
                HTTPResponse(status: 200, body: Array("\(request.method) \(request.path) \(request.body.count)".utf8))
            )
        }
        let port = try server.start(host: "127.0.0.1", port: 0)
        return (server, port)
    }

    @Test func answersARequestSentInPieces() throws {
        let (server, port) = try echoServer()
        defer { server.stop() }
        let client = try RawHTTPClient(port: port)
        client.send("POST /pie")
        usleep(20_000)
        client.send("ces HTTP/1.1\r\nContent-Le")
        usleep(20_000)
        client.send("ngth: 3\r\n\r\nab")
        usleep(20_000)
        client.send("c")
        let response = client.readResponses(1)
        #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(response.contains("Content-Length: 14\r\n"))
        #expect(response.hasSuffix("POST /pieces 3"))
    }

    @Test func servesTwoPipelinedRequestsOnOneConnectionThenHonoursClose() throws {
        let (server, port) = try echoServer()
        defer { server.stop() }
        let client = try RawHTTPClient(port: port)
        client.send("GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nConnection: close\r\n\r\n")
        let responses = client.readResponses(2)
        #expect(responses.contains("GET /one 0"))
        #expect(responses.contains("Connection: keep-alive"))
        #expect(responses.hasSuffix("GET /two 0"))
        #expect(responses.contains("Connection: close"))
        #expect(client.peerClosed())
    }

    @Test func keepsTheConnectionForSequentialRequests() throws {
        let (server, port) = try echoServer()
        defer { server.stop() }
        let client = try RawHTTPClient(port: port)
        client.send("GET /a HTTP/1.1\r\n\r\n")
        #expect(client.readResponses(1).hasSuffix("GET /a 0"))
        client.send("GET /b HTTP/1.1\r\n\r\n")
        #expect(client.readResponses(1).hasSuffix("GET /b 0"))
    }

    @Test func badRequestLineGets400AndClose() throws {
        let (server, port) = try echoServer()
        defer { server.stop() }
        let client = try RawHTTPClient(port: port)
        client.send("HELLO\r\n\r\n")
        let response = client.readResponses(1)
        #expect(response.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(client.peerClosed())
    }

    @Test func dropClosesWithoutAnswering() throws {
        let (server, port) = try echoServer()
        defer { server.stop() }
        let client = try RawHTTPClient(port: port)
        client.send("GET /drop HTTP/1.1\r\n\r\n")
        #expect(client.readResponses(1).isEmpty)
    }

    @Test func stopClosesListenerAndLiveConnectionsAndIsIdempotent() throws {
        let (server, port) = try echoServer()
        let client = try RawHTTPClient(port: port)
        client.send("GET /a HTTP/1.1\r\n\r\n")
        _ = client.readResponses(1)
        server.stop()
        #expect(client.peerClosed())
        #expect(throws: (any Error).self) { try RawHTTPClient(port: port) }
        server.stop()
        // The port is free again once stop() returned.
        let again = try server.start(host: "127.0.0.1", port: port)
        #expect(again == port)
        server.stop()
    }
}
