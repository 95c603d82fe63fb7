import Foundation

/// The shared send log in Redis, for runs on several machines sharing one account.
///
/// Keys (prefix e.g. `batch-clone:toloka.dev`): `<prefix>:sends` (sorted set, score = send time in
/// epoch ms on Redis's clock; members `p:<random hex>:<target>:<source>` for pending own sends,
/// `op:<ID>` for operations, `<ms>-<random hex>` for own sends of older versions), `<prefix>:links`
/// (hash: operation ID -> `<intent>:<target>:<source>` of the own send it was linked to),
/// `<prefix>:blocked_until` (epoch ms) and `<prefix>:retention` (the longest retention any run declared, ms).
/// Pool clones use these keys; another log (trainings, overlap edits) lives under `<prefix>:<log name>:`.
public final class RedisLedgerStore: Sendable {
    /// The server (its description redacts the password).
    public let url: RedisURL
    /// The namespace of this account's keys, without a trailing colon.
    public let keyPrefix: String
    /// A PEM file of CAs trusted for `rediss://` instead of the system store.
    public let caFile: String?
    /// Which log this store reads and changes.
    public let ledgerLog: LedgerLog
    let connectTimeout: Duration
    let ioTimeout: Duration
    private let lock = NSLock()
    /// Only touched under `lock` (a Mutex cannot lend out a non-Sendable value for a generic result).
    nonisolated(unsafe) private var cached: RedisConnection?

    /// A store on `url` under `keyPrefix`; every decision runs on Redis's own clock. A `rediss://`
    /// server's certificate must be signed by a CA in `caFile` when given, else in the system store.
    public convenience init(
        url: RedisURL,
        keyPrefix: String,
        target: CloneTarget = .pool,
        caFile: String? = nil,
        connectTimeout: Duration = .seconds(2),
        ioTimeout: Duration = .seconds(2)
    ) {
        self.init(
            url: url,
            keyPrefix: keyPrefix,
            log: .clones(of: target),
            caFile: caFile,
            connectTimeout: connectTimeout,
            ioTimeout: ioTimeout
        )
    }

    /// A store of `log` on `url` under `keyPrefix`, like the clone stores.
    public init(
        url: RedisURL,
        keyPrefix: String,
        log: LedgerLog,
        caFile: String? = nil,
        connectTimeout: Duration = .seconds(2),
        ioTimeout: Duration = .seconds(2)
    ) {
        self.url = url
        self.keyPrefix = keyPrefix
        self.caFile = caFile
        self.ledgerLog = log
        self.connectTimeout = connectTimeout
        self.ioTimeout = ioTimeout
    }

    /// The keys' namespace: the pools' are those of versions before trainings.
    var namespace: String { ledgerLog == .clones(of: .pool) ? keyPrefix : keyPrefix + ":" + ledgerLog.name }
    var sendsKey: String { namespace + ":sends" }
    var blockedKey: String { namespace + ":blocked_until" }
    var retentionKey: String { namespace + ":retention" }
    var linksKey: String { namespace + ":links" }

    /// Runs `body` on the open connection (opening it first); a broken kept connection is replaced once.
    func withConnection<T>(_ body: (RedisConnection) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        if let open = cached {
            do {
                return try body(open)
            } catch let error as RedisError {
                cached = nil
                // A connection idle for long may have been closed by the server or a proxy: reconnect once.
                // Not after a timeout: a hung server must stop the run within the heartbeat's bound.
                guard case .unreachable = error else { throw error }
            }
        }
        let fresh = try RedisConnection.open(
            url,
            caFile: caFile,
            connectTimeout: connectTimeout,
            ioTimeout: ioTimeout
        )
        cached = fresh
        do {
            return try body(fresh)
        } catch let error as RedisError {
            cached = nil
            throw error
        }
    }

    static func randomMemberSuffix() -> String {
        String(UInt64.random(in: 0...UInt64.max), radix: 16)
    }

    func protocolViolation(_ reason: String) -> RedisError {
        .protocolViolation(url: url.description, reason: reason)
    }
}
