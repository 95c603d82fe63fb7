import Foundation

/// A throwaway certificate authority made with the `openssl` tool, and server certificates it signs.
///
/// When `openssl` (or `faketime`, for an expired certificate) is not installed, the calls throw:
/// the TLS tests fail, never skip silently.
public final class TestCertificates: @unchecked Sendable {
    public struct ToolFailed: Error, CustomStringConvertible {
        public var command: [String]
        public var output: String
        public var description: String { "\(command.joined(separator: " ")) failed:\n\(output)" }
    }

    public let folder: URL
    /// The CA's certificate (PEM), what a client is told to trust.
    public let caFile: String
    private let caKey: String
    private let openssl: String

    /// Makes a new CA named `name` in a fresh temp folder.
    public init(name: String = "batch-clone test CA") throws {
        guard let openssl = RedisServer.which("openssl") else { throw RedisServer.NotInstalled.openssl }
        self.openssl = openssl
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("batch-clone-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        caFile = folder.appendingPathComponent("ca.crt").path
        caKey = folder.appendingPathComponent("ca.key").path
        try Self.run(
            [
                openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", caKey, "-out", caFile, "-days", "2", "-subj", "/CN=\(name)",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ]
        )
    }

    /// A server certificate and key signed by this CA for `names` (DNS names and IP addresses, the
    /// subject alternative names); `expired` makes one that ran out two days ago (issued under faketime).
    public func issue(_ file: String, names: [String], expired: Bool = false) throws -> RedisServer.TLSFiles {
        let key = folder.appendingPathComponent("\(file).key").path
        let request = folder.appendingPathComponent("\(file).csr").path
        let certificate = folder.appendingPathComponent("\(file).crt").path
        let extensions = folder.appendingPathComponent("\(file).ext")
        let alternatives = names.map { name in
            name.allSatisfy { $0.isNumber || $0 == "." } || name.contains(":") ? "IP:\(name)" : "DNS:\(name)"
        }
        try ("subjectAltName=" + alternatives.joined(separator: ",") + "\nextendedKeyUsage=serverAuth\n")
            .write(to: extensions, atomically: true, encoding: .utf8)
        try Self.run(
            [
                openssl, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
                "-out", request, "-subj", "/CN=\(names.first ?? file)",
            ]
        )
        var launcher: [String] = []
        if expired {
            guard let faketime = RedisServer.which("faketime") else { throw RedisServer.NotInstalled.faketime }
            launcher = [faketime, "-f", "-3d"]
        }
        try Self.run(
            launcher + [
                openssl, "x509", "-req", "-in", request, "-CA", caFile, "-CAkey", caKey, "-CAcreateserial", "-out",
                certificate, "-days", "1", "-extfile", extensions.path,
            ]
        )
        return RedisServer.TLSFiles(certificate: certificate, key: key)
    }

    public func remove() {
        try? FileManager.default.removeItem(at: folder)
    }

    private static func run(_ command: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ToolFailed(command: command, output: text) }
    }
}
