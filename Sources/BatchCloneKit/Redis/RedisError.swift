/// A failure to use the Redis ledger; every `url` is already redacted (no password).
public enum RedisError: Error, Equatable, CustomStringConvertible {
    /// The `--state` value is not a usable Redis URL.
    case invalidURL(url: String, reason: String)
    /// `rediss://` was asked for; there is no TLS stack without packages.
    case tlsUnsupported(url: String)
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
            "--state \(url) is not a Redis URL: \(reason); expected redis://[[user]:password@]host[:port][/db]"
        case .tlsUnsupported(let url):
            "--state \(url): rediss:// (TLS) is not supported, batch-clone has no TLS stack without packages; "
                + "run a TLS tunnel (stunnel or spiped) to the server and point --state at its local end with redis://"
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
