import ArgumentParsing
import BatchCloneKit
import Foundation

/// The options that say which ledger a command reads and which limits it enforces: shared by
/// `run` and `status`, so both build the same ledger from the same command line.
struct LedgerOptions: OptionGroup, Equatable {
    /// The limits as given (`--limit`), before `--reserve`.
    var limits: [RateLimit]
    var margin: Duration?
    /// Clones of the longest window left for people using the web UI.
    var reserve: Int
    var baseURL: URL
    /// Shown before a run when `--allow-http` let a plain http root through.
    var apiRootWarning: String?
    var actUnderAccount: String?
    /// `--state`, when given.
    var statePath: String?
    /// `--redis-ca` or `$BATCH_CLONE_REDIS_CA`: the CA file trusted for `rediss://` instead of the system store.
    var redisCA: String?

    static let productionURL = URL(string: "https://toloka.dev/api/v1")!
    static let sandboxURL = URL(string: "https://sandbox.toloka.dev/api/v1")!

    /// Each option once, with its type, default and parser; `init` reads the values through them.
    enum Declared {
        static let limit = SharedOptions.limit(
            defaults: RateLimit.tolokaCloneDefaults.map { LimitSpec(count: $0.count, window: $0.window) },
            help: "a clone limit of the account; units ms, s, m, h, d"
        ).map { $0.map { RateLimit(count: $0.count, window: $0.window) } }
        static let margin = Option<Duration?>.duration(
            "margin",
            allowZero: true,
            maximum: .seconds(86_400),
            help: "extra spacing per window against clock skew",
            defaultValue: "2% of the window, at most 1s"
        )
        static let reserve = Option<Int>.integer(
            "reserve",
            default: 0,
            minimum: 0,
            maximum: ParsedArguments.maximumLimitCount,
            help: "leave N clones of the daily quota for people using the web UI"
        )
        static let baseURL = Option<String?>.text(
            "base-url",
            valueName: "URL",
            help: "API root",
            defaultValue: "\(productionURL.absoluteString), or $TOLOKA_API_URL"
        )
        static let sandbox = Option<Bool>.flag("sandbox", help: "use \(sandboxURL.absoluteString)")
        static let allowHTTP = Option<Bool>.flag(
            "allow-http",
            help: "accept a plain http API root off loopback (the token is readable)"
        )
        static let actUnderAccount = Option<String?>.text(
            "act-under-account",
            valueName: "ID",
            help: "act under a shared account (X-Act-Under-Account-ID; or $TOLOKA_ACT_UNDER_ACCOUNT_ID)"
        )
        static let state = Option<String?>.text(
            "state",
            valueName: "PATH",
            help: "the shared rate-limit ledger: a file or redis[s]://[[user]:password@]host[:port][/db]",
            defaultValue: "$BATCH_CLONE_STATE, else one file per API host in $XDG_STATE_HOME/batch-clone"
        )
        static let redisCA = Option<String?>.text(
            "redis-ca",
            valueName: "PATH",
            help: "trust this PEM CA file for a rediss:// ledger instead of the system store (or $BATCH_CLONE_REDIS_CA)"
        )
    }

    static let options = [
        Declared.limit.spec,
        Declared.margin.spec,
        Declared.reserve.spec,
        Declared.baseURL.spec,
        Declared.sandbox.spec,
        Declared.allowHTTP.spec,
        Declared.actUnderAccount.spec,
        Declared.state.spec,
        Declared.redisCA.spec,
    ]

    init(_ arguments: ParsedArguments, environment: [String: String]) throws(ArgumentError) {
        let sandbox = try arguments.value(Declared.sandbox)
        let givenURL = try arguments.value(Declared.baseURL)
        if sandbox && givenURL != nil {
            throw .invalidValue(option: "sandbox", value: "", reason: "give either --sandbox or --base-url, not both")
        }
        if sandbox {
            baseURL = Self.sandboxURL
        } else if let text = givenURL ?? environment["TOLOKA_API_URL"] {
            guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme),
                url.host != nil
            else {
                throw .invalidValue(
                    option: Declared.baseURL.name,
                    value: text,
                    reason: "expected an http(s) URL such as https://toloka.dev/api/v1"
                )
            }
            baseURL = url
            apiRootWarning = try APIRootPolicy.check(url, allowHTTP: arguments.value(Declared.allowHTTP))
        } else {
            baseURL = Self.productionURL
        }

        limits = try arguments.value(Declared.limit)
        margin = try arguments.value(Declared.margin)
        statePath = try arguments.value(Declared.state)
        redisCA = try Self.caFile(option: arguments.value(Declared.redisCA), environment: environment)
        actUnderAccount = try arguments.value(Declared.actUnderAccount) ?? environment["TOLOKA_ACT_UNDER_ACCOUNT_ID"]
        if let account = actUnderAccount,
            account.isEmpty || !account.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        {
            throw .invalidValue(
                option: Declared.actUnderAccount.name,
                value: account,
                reason: "expected an account ID (letters, digits, - or _)"
            )
        }
        reserve = try arguments.value(Declared.reserve)
        let longest = self.limits.max { $0.window < $1.window }!
        if reserve >= longest.count {
            throw .invalidValue(
                option: Declared.reserve.name,
                value: String(reserve),
                reason: "the reserve must be smaller than the \(longest) limit it is taken from"
            )
        }
    }

    /// `--redis-ca`, else `$BATCH_CLONE_REDIS_CA`, checked now: a missing CA file is a usage error
    /// before anything is sent.
    static func caFile(option: String?, environment: [String: String]) throws(ArgumentError) -> String? {
        let fromEnvironment = environment["BATCH_CLONE_REDIS_CA"].flatMap { $0.isEmpty ? nil : $0 }
        guard let path = option ?? fromEnvironment else { return nil }
        let source = option == nil ? " (from $BATCH_CLONE_REDIS_CA)" : ""
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw .invalidValue(option: "redis-ca", value: path, reason: "the CA file does not exist\(source)")
        }
        guard !isFolder.boolValue else {
            throw .invalidValue(option: "redis-ca", value: path, reason: "a folder, not a PEM CA file\(source)")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw .invalidValue(option: "redis-ca", value: path, reason: "the CA file cannot be read\(source)")
        }
        return path
    }

    /// The limits the ledger enforces: `--reserve` is taken from the longest window.
    var effectiveLimits: [RateLimit] {
        var reduced = limits
        guard reserve > 0, let index = reduced.indices.max(by: { reduced[$0].window < reduced[$1].window }) else {
            return reduced
        }
        reduced[index].count -= reserve
        return reduced
    }

    /// The ledger every command uses over `log`: the effective limits and the margin.
    func ledger(_ log: SendLog = SendLog()) -> RateLimitLedger {
        RateLimitLedger(limits: effectiveLimits, margin: margin, log: log)
    }

    /// `--state`, else the default file for this API host and account.
    func resolvedStatePath(environment: [String: String]) -> String {
        LedgerLocation.stateValue(option: statePath, environment: environment)
            ?? DefaultPaths.state(for: baseURL, account: actUnderAccount, environment: environment)
    }
}
