#if os(Linux)
    import Foundation
    import Glibc
    import Testing

    @testable import BatchCloneKit

    /// A loopback listener for one connection: it answers the first bytes with `answer`, or hangs up
    /// at once when there is none.
    private final class OneShotServer: Sendable {
        let port: Int
        private let fd: Int32

        init(answer: [UInt8]?) {
            let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    _ = bind(listener, $0, length)
                    _ = getsockname(listener, $0, &length)
                }
            }
            listen(listener, 1)
            fd = listener
            port = Int(UInt16(bigEndian: address.sin_port))
            Thread {
                let client = accept(listener, nil, nil)
                guard client >= 0 else { return }
                if let answer {
                    var buffer = [UInt8](repeating: 0, count: 4096)
                    _ = recv(client, &buffer, buffer.count, 0)
                    _ = answer.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    usleep(200_000)
                }
                close(client)
            }.start()
        }

        func stop() {
            shutdown(fd, Int32(SHUT_RDWR))
            close(fd)
        }
    }

    /// The handshake failures a real Redis gives only sometimes (a plain port answers a ClientHello
    /// when it happens to hold a newline, and waits otherwise), made certain.
    @Suite struct TLSStreamTests {
        func handshake(answer: [UInt8]?) throws -> RedisError? {
            let server = OneShotServer(answer: answer)
            defer { server.stop() }
            let url = try RedisURL(parsing: "rediss://:secret@127.0.0.1:\(server.port)")
            do {
                _ = try TLSStream.open(url, caFile: nil, connectTimeout: .seconds(2), ioTimeout: .seconds(2))
                return nil
            } catch {
                return error
            }
        }

        @Test func aPlainRedisAnsweringTheClientHelloIsNamedAPlainPort() throws {
            let error = try handshake(answer: Array("-ERR unknown command\r\n".utf8))
            guard case .tls(let url, let reason) = error else {
                Issue.record("expected a TLS failure, got \(String(describing: error))")
                return
            }
            #expect(url.hasPrefix("rediss://:***@127.0.0.1:"))
            #expect(reason.contains("does not speak TLS") && reason.contains("plain redis://"), "\(reason)")
        }

        @Test func aServerHangingUpMidHandshakeIsSaidSo() throws {
            let error = try handshake(answer: nil)
            guard case .tls(_, let reason) = error else {
                Issue.record("expected a TLS failure, got \(String(describing: error))")
                return
            }
            #expect(reason.contains("closed the connection during the TLS handshake"), "\(reason)")
        }
    }
#endif
