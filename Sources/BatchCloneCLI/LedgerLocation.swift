import BatchCloneKit
import Foundation

/// Where the shared ledger lives: a file (one machine) or a Redis server (many machines).
enum LedgerLocation {
    case file(path: String)
    /// `caFile`: trusted for `rediss://` instead of the system store.
    case redis(RedisURL, keyPrefix: String, caFile: String?)

    /// The environment variable that names the ledger when `--state` is not given.
    static let environmentVariable = "BATCH_CLONE_STATE"

    /// `--state` if given, else `$BATCH_CLONE_STATE`, else nil (the caller's default file).
    static func stateValue(option: String?, environment: [String: String]) -> String? {
        if let option { return option }
        if let value = environment[environmentVariable], !value.isEmpty { return value }
        return nil
    }

    /// A `redis://` / `rediss://` value is a server, keys namespaced by API host and shared account
    /// like the default file name; anything else is a file path.
    init(_ value: String, baseURL: URL, account: String?, caFile: String? = nil) throws(RedisError) {
        guard RedisURL.isRedis(value) else {
            self = .file(path: value)
            return
        }
        self = .redis(
            try RedisURL(parsing: value),
            keyPrefix: Self.keyPrefix(for: baseURL, account: account),
            caFile: caFile
        )
    }

    /// `batch-clone:toloka.dev`, `batch-clone:toloka.dev:account-<id>`, `batch-clone:127.0.0.1-8080`.
    static func keyPrefix(for baseURL: URL, account: String?) -> String {
        var host = baseURL.host ?? "api"
        if let port = baseURL.port { host += "-\(port)" }
        return "batch-clone:" + host + (account.map { ":account-\($0)" } ?? "")
    }

    /// The store of `target`'s log, where a run of that target records its sends.
    func store(_ target: CloneTarget = .pool) -> any SlotLedger {
        store(log: .clones(of: target))
    }

    /// The store of `log` (a target's clones, overlap edits) in the same file or Redis namespace.
    func store(log: LedgerLog) -> any SlotLedger {
        switch self {
        case .file(let path): FileLedgerStore(path: path, log: log)
        case .redis(let url, let prefix, let caFile):
            RedisLedgerStore(url: url, keyPrefix: prefix, log: log, caFile: caFile)
        }
    }

    /// The store, with a Redis one connected (TLS, PING, AUTH) and read once: a ledger that cannot be
    /// used stops the run before the first request to Toloka.
    func openedStore(_ target: CloneTarget = .pool, now: LocalInstant) throws -> any SlotLedger {
        let store = store(target)
        if case .redis = self { _ = try store.snapshot(now: now) }
        return store
    }

    /// `target`'s log and "now" on the ledger's timeline, read without writing (plans, status, summaries).
    func peek(_ target: CloneTarget = .pool, now: LocalInstant) throws -> (log: SendLog, now: LedgerInstant) {
        try store(target).snapshot(now: now)
    }

    /// For messages: the path, or the redacted URL and key prefix.
    var description: String {
        switch self {
        case .file(let path): path
        case .redis(let url, let prefix, _): "\(url) (keys \(prefix):*)"
        }
    }

    /// A warning to show before using the ledger: a password about to cross the network in clear.
    var warning: String? {
        guard case .redis(let url, _, _) = self else { return nil }
        return url.cleartextPasswordWarning
    }
}
