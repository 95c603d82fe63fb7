import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A throwaway `redis-server` on a random loopback port, in its own temp folder, no persistence.
///
/// When `redis-server` is not installed, `start()` throws: the Redis tests fail, never skip silently.
public final class RedisServer: @unchecked Sendable {
    public enum NotInstalled: Error, CustomStringConvertible {
        case redis, faketime, openssl
        public var description: String {
            let name =
                switch self {
                case .redis: "redis-server"
                case .faketime: "faketime"
                case .openssl: "openssl"
                }
            return
                "\(name) is not installed: the Redis ledger tests need it (apt-get install -y \(name); .ci/run does it)"
        }
    }

    public struct DidNotStart: Error, CustomStringConvertible {
        public var log: String
        public var description: String { "redis-server did not accept connections within 10 s:\n\(log)" }
    }

    /// What a TLS-only server presents: its certificate and key (PEM files).
    public struct TLSFiles: Sendable {
        public var certificate: String
        public var key: String
        public init(certificate: String, key: String) {
            self.certificate = certificate
            self.key = key
        }
    }

    public let port: Int
    public let folder: URL
    private let process: Process
    private let password: String?
    /// Whether the port speaks TLS only (`--tls-port`, the plain port off).
    public let tls: Bool

    /// `redis://` (or `rediss://` for a TLS server) with the password, to 127.0.0.1.
    public var url: String { url(host: "127.0.0.1") }

    /// The URL with `host` (e.g. `localhost`, for a certificate that names it).
    public func url(host: String) -> String {
        (tls ? "rediss://" : "redis://") + (password.map { ":\($0)@" } ?? "") + "\(host):\(port)"
    }

    private init(port: Int, folder: URL, process: Process, password: String?, tls: Bool) {
        self.port = port
        self.folder = folder
        self.process = process
        self.password = password
        self.tls = tls
    }

    /// Starts a server (on `port`, or a random free one) and waits until it accepts connections;
    /// with `tls`, the port speaks TLS only and presents those files.
    public static func start(port: Int? = nil, password: String? = nil, tls: TLSFiles? = nil) throws -> RedisServer {
        guard let executable = which("redis-server") else { throw NotInstalled.redis }
        let port = port ?? freePort()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "batch-clone-redis-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        let ports =
            tls.map {
                [
                    "--port", "0", "--tls-port", String(port), "--tls-cert-file", $0.certificate, "--tls-key-file",
                    $0.key,
                    "--tls-auth-clients", "no",
                ]
            } ?? ["--port", String(port)]
        process.arguments =
            ports + [
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", folder.path,
                "--logfile", folder.appendingPathComponent("redis.log").path,
            ] + (password.map { ["--requirepass", $0] } ?? [])
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let server = RedisServer(port: port, folder: folder, process: process, password: password, tls: tls != nil)
        for _ in 0..<200 {
            if server.acceptsConnections() { return server }
            usleep(50_000)
        }
        let log = (try? String(contentsOf: folder.appendingPathComponent("redis.log"), encoding: .utf8)) ?? ""
        server.stop()
        throw DidNotStart(log: log)
    }

    /// Kills the server at once (SIGKILL: no goodbye to clients) and removes its folder.
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }

    private func acceptsConnections() -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// A port the kernel just handed out and released.
    public static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                _ = bind(fd, $0, length)
                _ = getsockname(fd, $0, &length)
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    public static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/local/bin"] {
            let candidate = "\(folder)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}
