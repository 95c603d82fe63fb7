import ArgumentParsing
import BatchCloneKit
import Foundation

/// The validated options of `batch-clone run`.
struct RunOptions: Sendable, Equatable {
    var csvPath: String
    var baseURL: URL
    var limits: [RateLimit]
    var margin: Duration?
    var statePath: String?
    var journalPath: String?
    var outputPath: String?
    var column: String?
    var actUnderAccount: String?
    var pollInterval: Duration
    /// nil: `--wait`, no bound.
    var maxWait: Duration?
    var maxAttempts: Int
    var operationTimeout: Duration
    var simulate: Bool
    var dryRun: Bool
    var json: Bool
    var retryFailed: Bool
    var reserve: Int

    static let productionURL = URL(string: "https://toloka.dev/api/v1")!
    static let sandboxURL = URL(string: "https://sandbox.toloka.dev/api/v1")!

    static let spec = CommandSpec(
        name: "batch-clone run",
        abstract: "Clone every Toloka pool listed in a CSV at the fastest pace the clone limits allow.",
        usage: "batch-clone [run] <pools.csv> [options]",
        positionals: [PositionalSpec("pools.csv", help: "CSV with a pool_id (or id) column, or pool IDs in the first column")],
        options: [
            OptionSpec(
                "limit", .repeatable(valueName: "N/DURATION"),
                help: "a clone limit of the account; default 20/1m and 100/1d (units ms, s, m, h, d)"),
            OptionSpec(
                "margin", .value(valueName: "DURATION"),
                help: "extra spacing per window against clock skew; default 2% of the window, at most 1s"),
            OptionSpec(
                "reserve", .value(valueName: "N"),
                help: "leave N clones of the daily quota for people using the web UI (default 0)"),
            OptionSpec(
                "base-url", .value(valueName: "URL"),
                help: "API root (default https://toloka.dev/api/v1, or $TOLOKA_API_URL)"),
            OptionSpec("sandbox", .flag, help: "use https://sandbox.toloka.dev/api/v1"),
            OptionSpec(
                "act-under-account", .value(valueName: "ID"),
                help: "act under a shared account (X-Act-Under-Account-ID; or $TOLOKA_ACT_UNDER_ACCOUNT_ID)"),
            OptionSpec(
                "state", .value(valueName: "PATH"),
                help:
                    "the shared rate-limit ledger: a file or redis://[[user]:password@]host[:port][/db] (default: $BATCH_CLONE_STATE, else one file per API host in $XDG_STATE_HOME/batch-clone)"
            ),
            OptionSpec(
                "journal", .value(valueName: "PATH"),
                help: "this batch's progress record (default: <pools>.journal beside the CSV)"),
            OptionSpec(
                "output", .value(valueName: "PATH"),
                help: "results CSV (default: <pools>.results.csv beside the CSV)"),
            OptionSpec(
                "column", .value(valueName: "NAME"),
                help: "CSV column holding pool IDs (default: pool_id or id, else the first column)"),
            OptionSpec("poll-interval", .value(valueName: "DURATION"), help: "time between operation polls (default 1s)"),
            OptionSpec(
                "max-wait", .value(valueName: "DURATION"),
                help: "longest wait for a send slot; beyond it stop with exit 75, resumable (default 10m)"),
            OptionSpec("wait", .flag, help: "wait for send slots as long as needed (a big batch can take days)"),
            OptionSpec(
                "max-attempts", .value(valueName: "N"),
                help: "clone operations per pool that may fail before it is given up (default 3)"),
            OptionSpec(
                "operation-timeout", .value(valueName: "DURATION"),
                help: "report an operation still unfinished after this long (default 10m)"),
            OptionSpec("retry-failed", .flag, help: "try again the pools that failed in an earlier run"),
            OptionSpec(
                "simulate", .flag,
                help: "run against the built-in Toloka simulator on loopback; no token, no real clones"),
            OptionSpec("dry-run", .flag, help: "no network: print what would be cloned and when"),
            OptionSpec("json", .flag, help: "one JSON object per event on stdout"),
        ],
        examples: [
            "export TOLOKA_TOKEN=...; batch-clone pools.csv",
            "batch-clone Examples/pools.csv --simulate",
            "batch-clone pools.csv --dry-run",
            "batch-clone pools.csv --max-wait 1h --journal ci/$CI_PIPELINE_ID.journal",
            "batch-clone pools.csv --wait --limit 20/1m --limit 500/1d",
        ],
        discussion: """
            The token comes from TOLOKA_TOKEN: an API key, an OAuth token, or the
            header value itself ("ApiKey x" / "OAuth x"). It is never written anywhere.

            Re-running the same command resumes: cloned pools are skipped and a clone
            whose answer was lost is looked up on the server, never sent blindly again.

            --max-wait bounds the wait for quota: past it the run stops with exit 75
            and prints when to resume (e.g. a daily CI job). --wait never stops early,
            e.g. one long job for the three days a 250-pool batch needs.

            Exit codes: 0 all cloned, 1 some pools failed, 64 usage, 65 malformed
            input, 66 no CSV, 69 API unavailable, 70 internal error, 74 cannot write
            files, 75 resume later, 77 authentication or access, 130 interrupted.
            """
    )

    /// Validates parsed arguments; `environment` supplies TOLOKA_API_URL.
    init(_ arguments: ParsedArguments, environment: [String: String]) throws(ArgumentError) {
        guard let csv = arguments.positionals.first else { throw .missingArgument("pools.csv") }
        guard arguments.positionals.count == 1 else { throw .tooManyArguments(Array(arguments.positionals.dropFirst())) }
        csvPath = csv

        if arguments.flag("sandbox") && arguments.value("base-url") != nil {
            throw .invalidValue(option: "sandbox", value: "", reason: "give either --sandbox or --base-url, not both")
        }
        if arguments.flag("sandbox") {
            baseURL = Self.sandboxURL
        } else if let text = arguments.value("base-url") ?? environment["TOLOKA_API_URL"] {
            guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                throw .invalidValue(
                    option: "base-url", value: text, reason: "expected an http(s) URL such as https://toloka.dev/api/v1")
            }
            baseURL = url
        } else {
            baseURL = Self.productionURL
        }

        let limits = try arguments.limits("limit").map { RateLimit(count: $0.count, window: $0.window) }
        self.limits = limits.isEmpty ? RateLimit.tolokaCloneDefaults : limits

        margin = try arguments.duration("margin", allowZero: true)
        statePath = arguments.value("state")
        journalPath = arguments.value("journal")
        outputPath = arguments.value("output")
        column = arguments.value("column")
        actUnderAccount = arguments.value("act-under-account") ?? environment["TOLOKA_ACT_UNDER_ACCOUNT_ID"]
        if let account = actUnderAccount,
            account.isEmpty || !account.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        {
            throw .invalidValue(
                option: "act-under-account", value: account, reason: "expected an account ID (letters, digits, - or _)")
        }
        pollInterval = try arguments.duration("poll-interval") ?? .seconds(1)
        if arguments.flag("wait") {
            if arguments.value("max-wait") != nil {
                throw .invalidValue(option: "wait", value: "", reason: "give either --wait or --max-wait, not both")
            }
            maxWait = nil
        } else {
            maxWait = try arguments.duration("max-wait", allowZero: true) ?? .seconds(600)
        }
        maxAttempts = try arguments.integer("max-attempts", minimum: 1) ?? 3
        operationTimeout = try arguments.duration("operation-timeout") ?? .seconds(600)
        reserve = try arguments.integer("reserve", minimum: 0) ?? 0
        simulate = arguments.flag("simulate")
        dryRun = arguments.flag("dry-run")
        json = arguments.flag("json")
        retryFailed = arguments.flag("retry-failed")

        let longest = self.limits.max { $0.window < $1.window }!
        if reserve >= longest.count {
            throw .invalidValue(
                option: "reserve", value: String(reserve),
                reason: "the reserve must be smaller than the \(longest) limit it is taken from")
        }
    }

    /// The run's settings from these options.
    var runConfiguration: RunConfiguration {
        var configuration = RunConfiguration()
        configuration.limits = effectiveLimits
        configuration.margin = margin
        configuration.pollInterval = pollInterval.timeInterval
        configuration.maxWait = maxWait?.timeInterval
        configuration.maxAttempts = maxAttempts
        configuration.operationTimeout = operationTimeout.timeInterval
        configuration.retryFailed = retryFailed
        return configuration
    }

    /// The limits the run enforces: `--reserve` is taken from the longest window.
    var effectiveLimits: [RateLimit] {
        var reduced = limits
        guard reserve > 0, let index = reduced.indices.max(by: { reduced[$0].window < reduced[$1].window }) else {
            return reduced
        }
        reduced[index].count -= reserve
        return reduced
    }
}
