/// A failure to use the Redis ledger; every `url` is already redacted (no password).
public enum RedisError: Error, Equatable, CustomStringConvertible {
    /// The `--state` value is not a usable Redis URL.
    case invalidURL(url: String, reason: String)
    /// `rediss://` was asked for on a platform without a TLS path (macOS).
    case tlsUnsupported(url: String)
    /// The system's OpenSSL 3 (`libssl.so.3`) could not be loaded for `rediss://`.
    case tlsLibraryMissing(reason: String)
    /// The TLS handshake failed: the port does not speak TLS, or the certificate was refused.
    case tls(url: String, reason: String)
    /// The `--redis-ca` file is missing, unreadable or holds no certificate.
    case caFileUnusable(path: String, reason: String)
    /// No connection could be made (refused, no route, name not resolved) or it broke.
    case unreachable(url: String, reason: String)
    /// Connecting or waiting for a reply took longer than allowed.
    case timeout(url: String, operation: String)
    /// The server sent something that is not RESP2 or not the reply expected.
    case protocolViolation(url: String, reason: String)
    /// The server answered a command with an error reply.
    case server(url: String, command: String, message: String)
    /// AUTH was refused.
    case authenticationFailed(url: String, message: String)

    public var description: String {
        switch self {
        case .invalidURL(let url, let reason):
            "--state \(url) is not a Redis URL: \(reason); expected redis[s]://[[user]:password@]host[:port][/db]"
        case .tlsUnsupported(let url):
            "--state \(url): rediss:// (TLS) is supported on Linux only; on this system "
                + "run a TLS tunnel (stunnel or spiped) to the server and point --state at its local end with redis://"
        case .tlsLibraryMissing(let reason):
            "rediss:// needs the system's OpenSSL 3 (libssl.so.3), which could not be loaded: \(reason); "
                + "install it (apt-get install libssl3), or run a TLS tunnel and point --state at it with redis://"
        case .tls(let url, let reason):
            "the TLS connection to the Redis ledger at \(url) failed: \(reason)"
        case .caFileUnusable(let path, let reason):
            "--redis-ca \(path): \(reason); give a PEM file with the CA certificate that signed the server's certificate"
        case .unreachable(let url, let reason):
            "cannot reach the Redis ledger at \(url): \(reason); start Redis or fix --state, then re-run to resume"
        case .timeout(let url, let operation):
            "the Redis ledger at \(url) did not answer in time (\(operation)); check the server, then re-run to resume"
        case .protocolViolation(let url, let reason):
            "the server at \(url) does not speak Redis (RESP2): \(reason); check the host and port in --state"
        case .server(let url, let command, let message):
            "the Redis ledger at \(url) refused \(command): \(message)"
        case .authenticationFailed(let url, let message):
            "the Redis ledger at \(url) refused the credentials: \(message); check the user and password in --state"
        }
    }
}
