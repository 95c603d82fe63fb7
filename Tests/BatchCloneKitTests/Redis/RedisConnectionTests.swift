import Testing

@testable import BatchCloneKit

/// A scripted server: records what the client wrote, answers with canned bytes in small chunks.
private final class FakeRedisStream: RedisByteStream {
    var written: [String] = []
    var replies: [[UInt8]]
    let chunk: Int
    var closed = false

    init(replies: [String], chunk: Int = 3) {
        self.replies = replies.map { Array($0.utf8) }
        self.chunk = chunk
    }

    func write(_ bytes: [UInt8]) throws(RedisError) {
        written.append(String(decoding: bytes, as: UTF8.self))
    }

    func read() throws(RedisError) -> [UInt8] {
        guard !replies.isEmpty else { throw .unreachable(url: "fake", reason: "the server closed the connection") }
        let piece = Array(replies[0].prefix(chunk))
        replies[0].removeFirst(piece.count)
        if replies[0].isEmpty { replies.removeFirst() }
        return piece
    }

    func close() { closed = true }
}

@Suite struct RedisConnectionTests {
    static let ping = String(decoding: RESPEncoder.command(["PING"]), as: UTF8.self)

    @Test func pingsThenAuthenticatesWithTheUserAndSelectsTheDatabase() throws {
        let stream = FakeRedisStream(replies: ["-NOAUTH Authentication required.\r\n", "+OK\r\n", "+OK\r\n"])
        let connection = RedisConnection(stream: stream, url: try RedisURL(parsing: "redis://ci:pw@h/3"))
        try connection.handshake()
        #expect(
            stream.written == [
                Self.ping,
                String(decoding: RESPEncoder.command(["AUTH", "ci", "pw"]), as: UTF8.self),
                "*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n",
            ]
        )
    }

    @Test func noPasswordNoAuth() throws {
        let stream = FakeRedisStream(replies: ["+PONG\r\n"])
        try RedisConnection(stream: stream, url: try RedisURL(parsing: "redis://h")).handshake()
        #expect(stream.written == [Self.ping])
    }

    @Test func aRefusedPasswordIsReportedWithoutIt() throws {
        let stream = FakeRedisStream(replies: ["+PONG\r\n", "-WRONGPASS invalid username-password pair\r\n"])
        let connection = RedisConnection(stream: stream, url: try RedisURL(parsing: "redis://:hunter2@h:1"))
        #expect {
            try connection.handshake()
        } throws: { error in
            guard case .authenticationFailed(let url, let message) = error as? RedisError else { return false }
            return url == "redis://:***@h:1" && message.hasPrefix("WRONGPASS") && !"\(error)".contains("hunter2")
        }
    }

    /// A TLS port answers plain text with an alert record (or just hangs up): the password stays home.
    @Test(arguments: [[0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46], []] as [[UInt8]])
    func aServerThatDoesNotAnswerPINGInRESPNeverSeesThePassword(answer: [UInt8]) throws {
        let stream = FakeRedisStream(replies: [])
        stream.replies = answer.isEmpty ? [] : [answer]
        let connection = RedisConnection(stream: stream, url: try RedisURL(parsing: "redis://:hunter2@h:6380"))
        #expect {
            try connection.handshake()
        } throws: { error in
            guard case .protocolViolation(let url, let reason) = error as? RedisError else { return false }
            return url == "redis://:***@h:6380" && reason.contains("use rediss://")
        }
        #expect(stream.written == [Self.ping])
    }

    @Test func anAnswerToPINGThatIsNotPONGIsRefused() throws {
        let stream = FakeRedisStream(replies: [":7\r\n"])
        #expect {
            try RedisConnection(stream: stream, url: try RedisURL(parsing: "redis://:pw@h")).handshake()
        } throws: { error in
            guard case .protocolViolation = error as? RedisError else { return false }
            return true
        }
        #expect(stream.written == [Self.ping])
    }

    @Test func reassemblesRepliesSplitAcrossReads() throws {
        let stream = FakeRedisStream(replies: ["*2\r\n$10\r\n1700000000\r\n$6\r\n123456\r\n"], chunk: 1)
        let connection = RedisConnection(stream: stream, url: try RedisURL(parsing: "redis://h"))
        let reply = try connection.call(["TIME"])
        #expect(reply == .array([.bulkString(Array("1700000000".utf8)), .bulkString(Array("123456".utf8))]))
    }

    @Test func scriptsLoadOnceThenRunByHashAndFallBackToEvalAfterNOSCRIPT() throws {
        let stream = FakeRedisStream(replies: [
            "$40\r\n\(String(repeating: "a", count: 40))\r\n", ":1\r\n", "-NOSCRIPT No matching script\r\n", ":2\r\n",
        ])
        let connection = RedisConnection(stream: stream, url: try RedisURL(parsing: "redis://h"))
        #expect(try connection.evaluate("return 1", keys: ["k"], arguments: ["a"]) == .integer(1))
        #expect(try connection.evaluate("return 1", keys: ["k"], arguments: ["a"]) == .integer(2))
        let commands = stream.written.map {
            $0.split(separator: "\r\n").enumerated().filter { $0.offset % 2 == 0 && $0.offset > 0 }.map {
                String($0.element)
            }
        }
        #expect(commands[0] == ["SCRIPT", "LOAD", "return 1"])
        #expect(commands[1] == ["EVALSHA", String(repeating: "a", count: 40), "1", "k", "a"])
        #expect(commands[2] == ["EVALSHA", String(repeating: "a", count: 40), "1", "k", "a"])
        #expect(commands[3] == ["EVAL", "return 1", "1", "k", "a"])
    }

    @Test func errorRepliesThrowNamingOnlyTheCommand() throws {
        let stream = FakeRedisStream(replies: ["-ERR unknown command\r\n", "?bad\r\n"])
        let connection = RedisConnection(stream: stream, url: try RedisURL(parsing: "redis://h"))
        #expect(throws: RedisError.server(url: "redis://h:6379", command: "CONFIG", message: "ERR unknown command")) {
            try connection.call(["CONFIG", "secret-argument"])
        }
        #expect {
            try connection.call(["PING"])
        } throws: { error in
            guard case .protocolViolation = error as? RedisError else { return false }
            return true
        }
    }

    @Test func aClosedStreamIsUnreachable() throws {
        let connection = RedisConnection(
            stream: FakeRedisStream(replies: ["+PA"]),
            url: try RedisURL(parsing: "redis://h")
        )
        #expect {
            try connection.call(["PING"])
        } throws: { error in
            guard case .unreachable = error as? RedisError else { return false }
            return true
        }
    }
}
