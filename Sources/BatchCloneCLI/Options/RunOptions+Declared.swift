import ArgumentParsing
import BatchCloneKit

extension RunOptions {
    /// The run's own options, each once with its type, default and parser. Defaults are the
    /// library's `RunConfiguration` ones, so the help, the README and a run cannot disagree.
    enum Declared {
        private static let defaults = RunConfiguration()

        static let journal = Option<String?>.text(
            "journal",
            valueName: "PATH",
            help: "this batch's progress record",
            defaultValue: "<pools>.journal beside the CSV"
        )
        static let output = Option<String?>.text(
            "output",
            valueName: "PATH",
            help: "results CSV",
            defaultValue: "<pools>.results.csv beside the CSV"
        )
        static let column = Option<String?>.text(
            "column",
            valueName: "NAME",
            help: "CSV column holding the IDs to clone",
            defaultValue: "a header named pool_id, training_id or id, else the first column"
        )
        static let target = Option<CloneTarget?>.target(
            help: "what the CSV's IDs name: pool or training",
            defaultValue: "training when the ID column is training_id, else pool"
        )
        static let copies = Option<Int?>.integer(
            "copies",
            minimum: 1,
            maximum: PoolListReader.maximumCopies,
            help: "clone every source N times, whatever its row's copies cell says",
            defaultValue: "a copies column when the CSV has one, else 1"
        )
        // Faster polling only burns the global request quota; the server answers no sooner.
        static let pollInterval = SharedOptions.pollInterval(
            default: defaults.pollInterval,
            minimum: .milliseconds(10),
            maximum: .seconds(86_400),
            help: "time between operation polls, at least 10ms"
        )
        static let maxWait = Option<Duration>.duration(
            "max-wait",
            default: defaults.maxWait!,
            allowZero: true,
            help: "longest wait for a send slot; beyond it stop with exit 75, resumable"
        )
        static let wait = Option<Bool>.flag(
            "wait",
            help: "wait for send slots as long as needed (a big batch can take days)"
        )
        static let maxAttempts = Option<Int>.integer(
            "max-attempts",
            default: defaults.maxAttempts,
            minimum: 1,
            maximum: 1000,
            help: "clone requests per pool whose operation failed or whose answer was lost, before it is given up"
        )
        static let reconcileWindow = Option<Duration>.duration(
            "reconcile-window",
            default: defaults.reconcileWindow,
            allowZero: true,
            help: "how long a clone whose answer was lost is looked for on the server before it is sent again"
        )
        static let operationTimeout = Option<Duration>.duration(
            "operation-timeout",
            default: defaults.operationTimeout,
            help: "report an operation still unfinished after this long"
        )
        static let retryFailed = Option<Bool>.flag(
            "retry-failed",
            help: "try again the pools that failed in an earlier run"
        )
        static let set = Option<[SetOption]>(
            OptionSpec(
                "set",
                .repeatable(valueName: "FIELD=VALUE"),
                help:
                    "after the clone, change a field of the new pool (dotted paths; {source.FIELD}, {copy}, {row.COLUMN}, {date}; +30d is a time from now), repeatable"
            )
        ) { arguments throws(ArgumentError) in
            var options: [SetOption] = []
            for text in arguments.values("set") {
                do throws(StepOptionError) {
                    options.append(try SetOption(text))
                } catch {
                    throw .invalidValue(option: "set", value: text, reason: error.description)
                }
            }
            return options
        }
        static let overlapLimit = Option<[LimitSpec]>.limits(
            "overlap-limit",
            defaults: defaults.overlapLimits.map { LimitSpec(count: $0.count, window: $0.window) },
            help: "pace of --set edits of an overlap value (defaults.default_overlap_*), repeatable"
        ).map { $0.map { RateLimit(count: $0.count, window: $0.window) } }
        static let open = Option<Bool>.flag(
            "open",
            help: "after the clone and its edits, open the new pool and wait for it"
        )
        static let simulate = Option<Bool>.flag(
            "simulate",
            help:
                "rehearse against the built-in Toloka simulator on loopback: no token, no real clones; the real journal, state and results are not touched (temporary ones are used and named)"
        )
        static let dryRun = Option<Bool>.flag("dry-run", help: "no network: print what would be cloned and when")
        static let json = Option<Bool>.flag("json", help: "one JSON object per event on stdout")

        /// In help order, between the ledger options and the report options.
        static let all = [
            journal.spec, output.spec, column.spec, target.spec, copies.spec, pollInterval.spec, maxWait.spec,
            wait.spec, maxAttempts.spec, reconcileWindow.spec, operationTimeout.spec, retryFailed.spec, set.spec,
            overlapLimit.spec, open.spec, simulate.spec, dryRun.spec, json.spec,
        ]
    }
}
