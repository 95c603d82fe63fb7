import Foundation
import JSONValue
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why the server could not start.
public struct HTTPServerError: Error, CustomStringConvertible, Sendable {
    /// A lowercase explanation including the failing call and errno text.
    public var description: String
}

/// A minimal blocking HTTP/1.1 server: one thread accepts, one thread per connection.
final class HTTPServer: Sendable {
    typealias Handler = @Sendable (HTTPRequest) -> HTTPHandlerResult

    private struct State {
        var running = false
        var listenFD: Int32 = -1
        var connections: Set<Int32> = []
        var acceptFinished: DispatchSemaphore?
    }

    private let handler: Handler
    private let state = Mutex(State())

    init(handler: @escaping Handler) {
        self.handler = handler
    }

    var isRunning: Bool {
        state.withLock { $0.running }
    }

    /// Binds, listens and starts the accept thread; returns the bound port.
    func start(host: String, port: Int) throws(HTTPServerError) -> Int {
        // Writes to a peer that went away must fail with EPIPE, not kill the process.
        signal(SIGPIPE, SIG_IGN)
        let (fd, boundPort) = try Self.listeningSocket(host: host, port: port)
        let finished = DispatchSemaphore(value: 0)
        let started = state.withLock { state -> Bool in
            guard !state.running else { return false }
            state.running = true
            state.listenFD = fd
            state.acceptFinished = finished
            return true
        }
        guard started else {
            close(fd)
            throw HTTPServerError(description: "server is already running")
        }
        let thread = Thread { [self] in
            acceptLoop(listenFD: fd)
            finished.signal()
        }
        thread.name = "toloka-simulator-accept"
        thread.start()
        return boundPort
    }

    /// Stops accepting, closes the listening socket and shuts live connections down; idempotent.
    func stop() {
        let finished = state.withLock { state -> DispatchSemaphore? in
            guard state.running else { return nil }
            state.running = false
            // Shutting down under the lock keeps a concurrently closed descriptor from being reused meanwhile.
            shutdown(state.listenFD, Int32(SHUT_RDWR))
            for connection in state.connections {
                shutdown(connection, Int32(SHUT_RDWR))
            }
            state.listenFD = -1
            return state.acceptFinished
        }
        // The accept thread closes the listening descriptor; waiting frees the port before stop returns.
        _ = finished?.wait(timeout: .now() + 2)
    }

    private func acceptLoop(listenFD: Int32) {
        while true {
            let client = accept(listenFD, nil, nil)
            if client < 0 {
                let failure = errno
                if failure == EINTR || failure == ECONNABORTED { continue }
                guard isRunning else { break }
                // Out of descriptors and the like: back off instead of spinning.
                usleep(10_000)
                continue
            }
            let registered = state.withLock { state -> Bool in
                guard state.running else { return false }
                state.connections.insert(client)
                return true
            }
            guard registered else {
                close(client)
                break
            }
            var one: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let thread = Thread { [self] in serve(connection: client) }
            thread.name = "toloka-simulator-connection"
            thread.start()
        }
        close(listenFD)
    }

    private func serve(connection fd: Int32) {
        defer {
            state.withLock { state in
                state.connections.remove(fd)
                close(fd)
            }
        }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            switch HTTPRequestParser.parse(&buffer) {
            case .incomplete:
                let received = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if received < 0 && errno == EINTR { continue }
                guard received > 0 else { return }
                buffer.append(contentsOf: chunk[0..<received])
            case .invalid(let reason):
                let body = JSONValue.object([
                    ("code", .string("BAD_REQUEST")),
                    ("message", .string(reason)),
                ])
                _ = Self.sendAll(fd, HTTPResponse.json(status: 400, body).serialized(keepAlive: false))
                return
            case .complete(let request):
                switch handler(request) {
                case .drop:
                    return
                case .stream(let head, let length, let chunk, let pause, let framed):
                    streamFiller(fd, head: head, length: length, chunk: chunk, pause: pause, framed: framed)
                    return
                case .respond(let response):
                    let keepAlive = request.keepAlive && isRunning
                    guard Self.sendAll(fd, response.serialized(keepAlive: keepAlive)), keepAlive else { return }
                }
            }
        }
    }

    /// Sends a body of spaces piece by piece until done, the client leaves, or the server stops.
    private func streamFiller(_ fd: Int32, head: HTTPResponse, length: Int, chunk: Int, pause: Duration, framed: Bool) {
        let declared = framed ? length : nil
        guard Self.sendAll(fd, head.serializedHead(contentLength: declared, keepAlive: false)) else { return }
        let piece = [UInt8](repeating: 0x20, count: max(1, chunk))
        var sent = 0
        while sent < length && isRunning {
            if pause > .zero { Thread.sleep(forTimeInterval: pause.simulatorSeconds) }
            let count = min(piece.count, length - sent)
            guard Self.sendAll(fd, Array(piece[0..<count])) else { return }
            sent += count
        }
    }

    private static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw in
                send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    private static func failure(_ call: String) -> HTTPServerError {
        HTTPServerError(description: "\(call) failed: \(String(cString: strerror(errno)))")
    }

    private static func listeningSocket(host: String, port: Int) throws(HTTPServerError) -> (Int32, Int) {
        guard (0...65_535).contains(port) else {
            throw HTTPServerError(description: "port \(port) is out of range")
        }
        let address = host == "localhost" ? "127.0.0.1" : host
        var ipv4 = sockaddr_in()
        var ipv6 = sockaddr_in6()
        let family: Int32
        if inet_pton(AF_INET, address, &ipv4.sin_addr) == 1 {
            family = AF_INET
            ipv4.sin_family = sa_family_t(AF_INET)
            ipv4.sin_port = in_port_t(UInt16(port)).bigEndian
        } else if inet_pton(AF_INET6, address, &ipv6.sin6_addr) == 1 {
            family = AF_INET6
            ipv6.sin6_family = sa_family_t(AF_INET6)
            ipv6.sin6_port = in_port_t(UInt16(port)).bigEndian
        } else {
            throw HTTPServerError(description: "host \(host) is not a numeric ip address")
        }
        let fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw failure("socket") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound: Int32
        if family == AF_INET {
            bound = withUnsafePointer(to: &ipv4) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        } else {
            bound = withUnsafePointer(to: &ipv6) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
        guard bound == 0 else {
            let error = failure("bind to \(host):\(port)")
            close(fd)
            throw error
        }
        guard listen(fd, 128) == 0 else {
            let error = failure("listen")
            close(fd)
            throw error
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else {
            let error = failure("getsockname")
            close(fd)
            throw error
        }
        let boundPort = withUnsafePointer(to: &storage) { pointer -> UInt16 in
            if family == AF_INET {
                return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                    UInt16(bigEndian: $0.pointee.sin_port)
                }
            }
            return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                UInt16(bigEndian: $0.pointee.sin6_port)
            }
        }
        return (fd, Int(boundPort))
    }
}
