import ArgumentParsing
import BatchCloneKit
import Foundation

/// The validated options of `batch-clone run`.
struct RunOptions: Sendable, Equatable {
    var csvPath: String
    /// Which ledger and limits: shared with `status`.
    var ledger: LedgerOptions
    /// Quiet, colour and CI reports.
    var report: ReportOptions
    var journalPath: String?
    var outputPath: String?
    var column: String?
    /// `--target`: nil, the CSV's ID column tells.
    var target: CloneTarget?
    /// `--copies`: nil, the CSV's `copies` column (or 1) tells.
    var copies: Int?
    var pollInterval: Duration
    /// nil: `--wait`, no bound.
    var maxWait: Duration?
    var maxAttempts: Int
    var reconcileWindow: Duration
    var operationTimeout: Duration
    var simulate: Bool
    var dryRun: Bool
    var json: Bool
    var retryFailed: Bool
    /// `--set`, in order.
    var sets: [SetOption]
    /// `--open`.
    var open: Bool
    /// `--overlap-limit`.
    var overlapLimits: [RateLimit]

    static let spec = CommandSpec(
        name: "batch-clone run",
        abstract: "Clone every Toloka pool listed in a CSV at the fastest pace the clone limits allow.",
        usage: "batch-clone [run] <pools.csv> [options]",
        positionals: [
            PositionalSpec(
                "pools.csv",
                help:
                    "CSV with a pool_id (or id) or training_id column, or pool IDs in the first column; "
                    + "an optional copies column"
            )
        ],
        options: LedgerOptions.options + Declared.all + ReportOptions.options,
        examples: [
            "export TOLOKA_TOKEN=...; batch-clone pools.csv",
            "batch-clone Examples/pools.csv --simulate",
            "batch-clone pools.csv --dry-run",
            "batch-clone pools.csv --max-wait 1h --journal ci/pools.journal",
            "batch-clone pools.csv --wait --limit 20/1m --limit 500/1d",
        ],
        discussion: """
            The token comes from TOLOKA_TOKEN: an API key, an OAuth token, or the
            header value itself ("ApiKey x" / "OAuth x"). It is never written anywhere.

            Re-running the same command resumes: cloned pools are skipped and a clone
            whose answer was lost is looked up on the server until --reconcile-window
            has passed since it was sent, never sent blindly again; a clone that may
            exist is never sent again, even with --retry-failed.

            In CI, keep the journal (exactly-once) and the state file (the quota spent)
            between runs, saved even when a run fails; use one journal per batch
            (e.g. named after the CSV), never one per pipeline run.

            --simulate rehearses the exact command line: --journal, --state and
            --output are left alone; temporary files are used and their path printed.

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
        guard arguments.positionals.count == 1 else {
            throw .tooManyArguments(Array(arguments.positionals.dropFirst()))
        }
        csvPath = csv

        ledger = try LedgerOptions(arguments, environment: environment)
        report = try ReportOptions(arguments, environment: environment)
        journalPath = try arguments.value(Declared.journal)
        outputPath = try arguments.value(Declared.output)
        column = try arguments.value(Declared.column)
        target = try arguments.value(Declared.target)
        copies = try arguments.value(Declared.copies)
        pollInterval = try arguments.value(Declared.pollInterval)
        if try arguments.value(Declared.wait) {
            if arguments.contains(Declared.maxWait) {
                throw .invalidValue(option: "wait", value: "", reason: "give either --wait or --max-wait, not both")
            }
            maxWait = nil
        } else {
            maxWait = try arguments.value(Declared.maxWait)
        }
        maxAttempts = try arguments.value(Declared.maxAttempts)
        reconcileWindow = try arguments.value(Declared.reconcileWindow)
        operationTimeout = try arguments.value(Declared.operationTimeout)
        simulate = try arguments.value(Declared.simulate)
        dryRun = try arguments.value(Declared.dryRun)
        json = try arguments.value(Declared.json)
        retryFailed = try arguments.value(Declared.retryFailed)
        sets = try arguments.value(Declared.set)
        open = try arguments.value(Declared.open)
        overlapLimits = try arguments.value(Declared.overlapLimit)
    }

    /// The run's settings from these options: the one place a `RunConfiguration` is built.
    var runConfiguration: RunConfiguration {
        var configuration = RunConfiguration()
        configuration.limits = ledger.effectiveLimits
        configuration.margin = ledger.margin
        configuration.pollInterval = pollInterval
        configuration.maxWait = maxWait
        configuration.maxAttempts = maxAttempts
        configuration.reconcileWindow = reconcileWindow
        configuration.operationTimeout = operationTimeout
        configuration.retryFailed = retryFailed
        configuration.steps = StepPlan(sets: sets, open: open)
        configuration.overlapLimits = overlapLimits
        return configuration
    }

}
