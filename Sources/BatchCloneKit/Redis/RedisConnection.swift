/// One authenticated RESP2 session with a Redis server: request, then reply (no pipelining).
final class RedisConnection {
    let url: RedisURL
    private let stream: any RedisByteStream
    private var decoder = RESPDecoder()
    /// SHA1 of each script loaded on this connection's server, by script source.
    private var scriptHashes: [String: String] = [:]

    /// A session over `stream`; call `handshake()` before anything else.
    init(stream: any RedisByteStream, url: RedisURL) {
        self.stream = stream
        self.url = url
    }

    deinit { stream.close() }

    /// Connects (over TLS for `rediss://`, trusting `caFile` instead of the system store when given),
    /// confirms the server speaks RESP, authenticates and selects the database of `url`.
    static func open(_ url: RedisURL, caFile: String? = nil, connectTimeout: Duration, ioTimeout: Duration)
        throws(RedisError) -> RedisConnection
    {
        let stream: any RedisByteStream
        if url.tls {
            #if os(Linux)
                stream = try TLSStream.open(url, caFile: caFile, connectTimeout: connectTimeout, ioTimeout: ioTimeout)
            #else
                throw .tlsUnsupported(url: url.description)
            #endif
        } else {
            stream = try RedisSocket.open(url, connectTimeout: connectTimeout, ioTimeout: ioTimeout)
        }
        let connection = RedisConnection(stream: stream, url: url)
        try connection.handshake()
        return connection
    }

    /// PING, then AUTH (with the user when there is one) and SELECT, as `url` asks.
    func handshake() throws(RedisError) {
        // The password leaves only once the other side has answered in RESP: a TLS port, or
        // anything else that is not Redis, never sees it.
        switch try ping() {
        case .simpleString("PONG"), .error: break
        case let other: throw .protocolViolation(url: url.description, reason: "it answered PING with \(other)")
        }
        if let password = url.password {
            let reply = try send(["AUTH"] + (url.user.map { [$0] } ?? []) + [password])
            if case .error(let message) = reply {
                throw .authenticationFailed(url: url.description, message: message)
            }
        }
        if url.database != 0 {
            _ = try call(["SELECT", String(url.database)])
        }
    }

    /// The reply to PING, an error reply such as NOAUTH included; a first byte that cannot start a RESP
    /// reply (a TLS record) or a connection closed unanswered is reported with what it suggests.
    private func ping() throws(RedisError) -> RESPValue {
        try stream.write(RESPEncoder.command(["PING"]))
        let first: [UInt8]
        do throws(RedisError) {
            first = try stream.read()
        } catch .unreachable(_, let reason) where !url.tls {
            throw .protocolViolation(
                url: url.description,
                reason: "it did not answer PING (\(reason)), as a TLS port does with plain text: "
                    + "if the port speaks TLS, use rediss://"
            )
        }
        guard let byte = first.first, Array("+-:$*".utf8).contains(byte) else {
            let tlsRecord = first.first.map { (0x14...0x17).contains($0) } ?? false
            throw .protocolViolation(
                url: url.description,
                reason: tlsRecord
                    ? "it answered PING with a TLS record: the port speaks TLS, use rediss://"
                    : "it answered PING with bytes that cannot start a RESP reply"
            )
        }
        decoder.append(first)
        return try awaitReply()
    }

    /// Sends one command and returns its reply, error replies included.
    func send(_ arguments: [String]) throws(RedisError) -> RESPValue {
        try stream.write(RESPEncoder.command(arguments))
        return try awaitReply()
    }

    private func awaitReply() throws(RedisError) -> RESPValue {
        while true {
            do {
                if let value = try decoder.next() { return value }
            } catch {
                throw .protocolViolation(url: url.description, reason: error.reason)
            }
            decoder.append(try stream.read())
        }
    }

    /// Sends one command; an error reply throws (naming the command only: arguments may be secret).
    func call(_ arguments: [String]) throws(RedisError) -> RESPValue {
        let reply = try send(arguments)
        if case .error(let message) = reply {
            throw .server(url: url.description, command: arguments.first ?? "", message: message)
        }
        return reply
    }

    /// Runs a Lua script by its SHA1 (`EVALSHA`), loading it first, and with `EVAL` when the server
    /// forgot it (`NOSCRIPT`, e.g. after a restart).
    func evaluate(_ source: String, keys: [String], arguments: [String]) throws(RedisError) -> RESPValue {
        let tail = [String(keys.count)] + keys + arguments
        guard let hash = scriptHashes[source] else {
            guard let loaded = try call(["SCRIPT", "LOAD", source]).text else {
                throw .protocolViolation(url: url.description, reason: "SCRIPT LOAD did not answer a hash")
            }
            scriptHashes[source] = loaded
            return try evaluate(source, keys: keys, arguments: arguments)
        }
        let reply = try send(["EVALSHA", hash] + tail)
        if case .error(let message) = reply, message.hasPrefix("NOSCRIPT") {
            return try call(["EVAL", source] + tail)
        }
        if case .error(let message) = reply {
            throw .server(url: url.description, command: "EVALSHA", message: message)
        }
        return reply
    }
}
