import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A keep-alive HTTP server on loopback that answers `{}` to everything and records which
/// connection carried each request, to see which requests a transport sends on reused connections.
final class ConnectionRecorder: Sendable {
    struct Request: Equatable {
        var connection: Int
        var method: String
        /// The `Connection` header, lowercased, if any.
        var connectionHeader: String?
    }

    let port: Int
    private let listener: Int32
    private let recorded = Mutex<[Request]>([])

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard fd >= 0, bound else { throw POSIXError(.EADDRNOTAVAIL) }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    var requests: [Request] { recorded.withLock { $0 } }

    var url: URL { URL(string: "http://127.0.0.1:\(port)/api/v1")! }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
    }

    private func acceptLoop() {
        var index = 0
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                break
            }
            let connection = index
            index += 1
            Thread { [self] in serve(client, connection: connection) }.start()
        }
        close(listener)
    }

    private func serve(_ fd: Int32, connection: Int) {
        defer { close(fd) }
        var pending = ""
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            while let end = pending.range(of: "\r\n\r\n") {
                let head = pending[..<end.lowerBound].split(separator: "\r\n")
                pending = String(pending[end.upperBound...])
                let method = head.first.map { String($0.prefix { $0 != " " }) } ?? ""
                let header = head.dropFirst().first { $0.lowercased().hasPrefix("connection:") }
                    .map { $0.dropFirst("connection:".count).trimmingCharacters(in: .whitespaces).lowercased() }
                recorded.withLock {
                    $0.append(Request(connection: connection, method: method, connectionHeader: header))
                }
                let closing = header == "close"
                let answer =
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                    + "Connection: \(closing ? "close" : "keep-alive")\r\n\r\n{}"
                _ = answer.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                if closing { return }
            }
            let received = recv(fd, &buffer, buffer.count, 0)
            if received < 0 && errno == EINTR { continue }
            guard received > 0 else { return }
            pending += String(decoding: buffer[0..<received], as: UTF8.self)
        }
    }
}
