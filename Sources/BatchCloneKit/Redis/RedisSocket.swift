#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A TCP connection to Redis over POSIX sockets: any address `getaddrinfo` gives (IPv4, IPv6,
/// names), a connect timeout and an I/O timeout through poll(2), EINTR retried.
final class RedisSocket: RedisByteStream {
    /// The descriptor, non-blocking; -1 once closed. A TLS session reads and writes it directly.
    private(set) var fd: Int32
    private let url: String
    private let ioTimeout: Duration

    private init(fd: Int32, url: String, ioTimeout: Duration) {
        self.fd = fd
        self.url = url
        self.ioTimeout = ioTimeout
    }

    deinit { close() }

    /// Connects to `url`'s host and port, trying each resolved address in turn.
    static func open(_ url: RedisURL, connectTimeout: Duration, ioTimeout: Duration) throws(RedisError) -> RedisSocket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(url.host, String(url.port), &hints, &list)
        guard status == 0, let first = list else {
            let reason = String(cString: gai_strerror(status))
            throw .unreachable(url: url.description, reason: "cannot resolve \(url.host): \(reason)")
        }
        defer { freeaddrinfo(list) }
        var lastReason = "no address"
        var timedOut = false
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            guard fd >= 0 else {
                lastReason = errorText()
                continue
            }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            #if canImport(Darwin)
                _ = setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
            #endif
            var result = connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen)
            if result != 0 && (errno == EINPROGRESS || errno == EINTR) {
                switch waitFor(fd, events: Int16(POLLOUT), timeout: connectTimeout) {
                case .ready:
                    var error: Int32 = 0
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
                    result = error == 0 ? 0 : -1
                    errno = error
                case .timedOut:
                    timedOut = true
                    result = -1
                    errno = ETIMEDOUT
                case .failed:
                    result = -1
                }
            }
            if result == 0 {
                return RedisSocket(fd: fd, url: url.description, ioTimeout: ioTimeout)
            }
            lastReason = errorText()
            systemClose(fd)
        }
        if timedOut { throw .timeout(url: url.description, operation: "connect, \(connectTimeout)") }
        throw .unreachable(url: url.description, reason: lastReason)
    }

    func write(_ bytes: [UInt8]) throws(RedisError) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { buffer in
                send(fd, buffer.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                offset += sent
                continue
            }
            if sent < 0 && errno == EINTR { continue }
            guard sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) else {
                throw .unreachable(url: url, reason: "write failed: \(Self.errorText())")
            }
            try wait(events: Int16(POLLOUT), operation: "write")
        }
    }

    func read() throws(RedisError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if count > 0 { return Array(buffer[0..<count]) }
            if count == 0 { throw .unreachable(url: url, reason: "the server closed the connection") }
            if errno == EINTR { continue }
            guard errno == EAGAIN || errno == EWOULDBLOCK else {
                throw .unreachable(url: url, reason: "read failed: \(Self.errorText())")
            }
            try wait(events: Int16(POLLIN), operation: "read")
        }
    }

    func close() {
        if fd >= 0 {
            systemClose(fd)
            fd = -1
        }
    }

    /// Waits up to the I/O timeout until `events` can be done, or throws naming `operation`.
    func wait(events: Int16, operation: String) throws(RedisError) {
        switch Self.waitFor(fd, events: events, timeout: ioTimeout) {
        case .ready: return
        case .timedOut: throw .timeout(url: url, operation: "\(operation), \(ioTimeout)")
        case .failed: throw .unreachable(url: url, reason: "\(operation) failed: \(Self.errorText())")
        }
    }

    enum PollResult { case ready, timedOut, failed }

    /// Polls this socket for `events` for up to `timeout`.
    func waitUntil(events: Int16, timeout: Duration) -> PollResult {
        Self.waitFor(fd, events: events, timeout: timeout)
    }

    /// Polls until `events` (or an error/hang-up, which the next call reports), restarting after EINTR
    /// with the time left.
    private static func waitFor(_ fd: Int32, events: Int16, timeout: Duration) -> PollResult {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            let left = max(.zero, deadline - clock.now)
            var descriptor = pollfd(fd: fd, events: events, revents: 0)
            let result = poll(&descriptor, 1, Int32(clamping: left.millisecondsRoundedUp))
            if result > 0 { return .ready }
            if result == 0 { return .timedOut }
            if errno != EINTR { return .failed }
        }
    }

    static func errorText() -> String {
        String(cString: strerror(errno))
    }
}
