import ArgumentParsing
import BatchCloneKit
import Foundation

/// The validated command line of `batch-clone-bench`.
struct BenchOptions: Sendable {
    /// Pools per strategy run.
    var pools: Int
    /// The scaled clone limits every strategy runs against.
    var limits: [RateLimit]
    /// Clone operation duration range in seconds, drawn per operation by the simulator.
    var latency: ClosedRange<Double>
    /// Poll interval passed to batch-clone in the strategy run.
    var pollInterval: Duration
    /// Pools of the client-cost run.
    var costPools: Int
    /// Pools of the first kept-sends run, and of the second one on the same state file.
    var keptPools: Int
    var keptMorePools: Int
    var skipKept: Bool
    /// Batch sizes of the batch-size case, each on a fresh state file, and runs of each (the median is shown).
    var batchSizes: [Int]
    var batchRuns: Int
    var skipBatchSizes: Bool
    /// Skips the copies case (serialised copies of one source against the optimum).
    var skipCopies: Bool
    /// Rows of the generated CSV for the `--dry-run` measurement.
    var dryRunRows: Int
    var skipStrategies: Bool
    var skipCost: Bool
    /// Runs strategies 2-4 one after another instead of side by side.
    var sequential: Bool
    /// The batch-clone executable.
    var binary: String
    /// Seed of the simulators, so every strategy meets the same latencies.
    var seed: UInt64

    /// Windows of the default limits are Toloka's 1 min and 1 day shrunk so a run takes seconds.
    static let defaultLimits = ["20/3s", "100/15s"]
    /// Loose limits for the cost run: the client should never wait there, so only its own work is measured.
    static let costLimit = RateLimit(count: 100_000, window: .seconds(1))
    /// Limits of the kept-sends runs: a day window that keeps every send, a second one the client never waits for.
    static let keptLimits = [
        RateLimit(count: 1000, window: .seconds(1)), RateLimit(count: 100_000, window: .seconds(86_400)),
    ]
    /// Poll interval of the kept-sends runs: short, so that waits and polls weigh as in the measurement.
    static let keptPollInterval = Duration.milliseconds(50)
    /// Operation latency of the cost run: long enough that every pool is polled at least once.
    static let costLatency: ClosedRange<Double> = 0.05...0.2

    static let spec = CommandSpec(
        name: "batch-clone-bench",
        abstract: "Compare batch-clone's clone schedule with the optimum and common strategies against the "
            + "Toloka simulator, and measure the client's own CPU and memory cost.",
        usage: "batch-clone-bench [options]",
        options: [
            Declared.pools.spec, Declared.limit.spec, Declared.latency.spec, Declared.pollInterval.spec,
            Declared.costPools.spec, Declared.keptPools.spec, Declared.keptMorePools.spec, Declared.skipKept.spec,
            Declared.batchSizes.spec, Declared.batchRuns.spec, Declared.skipBatchSizes.spec, Declared.skipCopies.spec,
            Declared.dryRunRows.spec, Declared.skipStrategies.spec, Declared.skipCost.spec, Declared.sequential.spec,
            Declared.binary.spec, Declared.seed.spec,
        ],
        examples: [
            "swift build -c release --product batch-clone && swift build -c release --product batch-clone-bench",
            ".build/release/batch-clone-bench",
            ".build/release/batch-clone-bench --pools 300 --limit 20/3s --limit 100/15s --skip-cost",
            ".build/release/batch-clone-bench --skip-strategies --skip-cost --skip-kept --batch-sizes 400,1600 --batch-runs 1",
            ".build/release/batch-clone-bench --skip-strategies --skip-cost --skip-kept --skip-batch-sizes",
        ],
        discussion: """
            Strategies, each against a fresh simulator:
              1 batch-clone     the real binary, as a child process
              2 clone-and-wait  one pool at a time, waiting for its operation; on 429
                                sleep the window of payload.interval (toloka-kit's loop)
              3 fixed spacing   one clone every W/N of the tightest limit; on 429 sleep
                                Retry-After
              4 token bucket    per limit, capacity N refilled N per W; on 429 sleep
                                Retry-After
            Exit codes: 0 every goal met, 1 a goal missed, 2 the benchmark failed, 64 usage.
            """
    )

    /// Each option once, with its type, default and parser; `--limit`, `--latency`, `--seed` and
    /// `--poll-interval` are the declarations toloka-sim and batch-clone share.
    enum Declared {
        static let pools = Option<Int>.integer("pools", default: 150, minimum: 1, help: "pools cloned by each strategy")
        static let limit = SharedOptions.limit(
            defaults: defaultLimits.compactMap(LimitSpec.parse),
            help: "scaled clone limit enforced by the simulator"
        )
        static let latency = SharedOptions.latency(
            help: "clone operation duration range",
            defaultValue: "Toloka's 500ms-2s scaled like the shortest window to 1m"
        )
        static let pollInterval = SharedOptions.pollInterval(
            default: .milliseconds(200),
            help: "batch-clone's --poll-interval in the strategy run"
        )
        static let costPools = Option<Int>.integer(
            "cost-pools",
            default: 400,
            minimum: 1,
            help: "pools of the client-cost run"
        )
        static let keptPools = Option<Int>.integer(
            "kept-pools",
            default: 400,
            minimum: 1,
            help: "pools of the first kept-sends run (limits 1000/1s and 100000/1d)"
        )
        static let keptMorePools = Option<Int>.integer(
            "kept-more-pools",
            default: 1600,
            minimum: 1,
            help: "pools of the second kept-sends run on the same state file"
        )
        static let skipKept = Option<Bool>.flag("skip-kept", help: "skip the kept-sends cost runs")
        static let batchSizes = Option<[Int]?>.parsed(
            "batch-sizes",
            valueName: "N,N,...",
            help: "pools of each batch-size run (limits 1000/1s and 100000/1d, fresh state file each)",
            defaultValue: "400,1600,5000,10000",
            expected: "expected pool counts separated by commas, e.g. 400,1600"
        ) { text in
            let sizes = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
            guard !sizes.isEmpty, sizes.allSatisfy({ ($0 ?? 0) >= 1 }) else { return nil }
            return sizes.compactMap { $0 }
        }
        static let batchRuns = Option<Int>.integer(
            "batch-runs",
            default: 5,
            minimum: 1,
            help: "runs of each batch size and server (the median is shown)"
        )
        static let skipBatchSizes = Option<Bool>.flag(
            "skip-batch-sizes",
            help: "skip the batch-size runs (prompt and late server)"
        )
        static let skipCopies = Option<Bool>.flag(
            "skip-copies",
            help: "skip the copies runs (a copies column: one clone of a source at a time)"
        )
        static let dryRunRows = Option<Int>.integer(
            "dry-run-rows",
            default: 100_000,
            minimum: 1,
            help: "rows of the generated --dry-run CSV"
        )
        static let skipStrategies = Option<Bool>.flag("skip-strategies", help: "skip the strategy comparison")
        static let skipCost = Option<Bool>.flag("skip-cost", help: "skip the client-cost measurements")
        static let sequential = Option<Bool>.flag(
            "sequential",
            help: "run strategies 2-4 one after another (default: side by side)"
        )
        static let binary = Option<String?>.text(
            "binary",
            valueName: "PATH",
            help: "the batch-clone executable",
            defaultValue: "beside this executable"
        )
        static let seed = SharedOptions.seed(help: "simulator random seed")
    }

    /// Validates parsed arguments; throws on a value that does not fit.
    init(_ arguments: ParsedArguments) throws(ArgumentError) {
        guard arguments.positionals.isEmpty else { throw .tooManyArguments(arguments.positionals) }
        pools = try arguments.value(Declared.pools)
        costPools = try arguments.value(Declared.costPools)
        keptPools = try arguments.value(Declared.keptPools)
        keptMorePools = try arguments.value(Declared.keptMorePools)
        skipKept = try arguments.value(Declared.skipKept)
        batchSizes = try arguments.value(Declared.batchSizes) ?? [400, 1600, 5000, 10_000]
        batchRuns = try arguments.value(Declared.batchRuns)
        skipBatchSizes = try arguments.value(Declared.skipBatchSizes)
        skipCopies = try arguments.value(Declared.skipCopies)
        dryRunRows = try arguments.value(Declared.dryRunRows)
        seed = try arguments.value(Declared.seed)

        let limits = try arguments.value(Declared.limit).map { RateLimit(count: $0.count, window: $0.window) }
        self.limits = limits

        if let range = try arguments.value(Declared.latency) {
            latency = range.lowerBound.timeInterval...range.upperBound.timeInterval
        } else {
            let scale = Self.timeScale(limits)
            latency = (0.5 * scale)...(2.0 * scale)
        }
        pollInterval = try arguments.value(Declared.pollInterval)

        skipStrategies = try arguments.value(Declared.skipStrategies)
        skipCost = try arguments.value(Declared.skipCost)
        sequential = try arguments.value(Declared.sequential)
        binary = try arguments.value(Declared.binary) ?? Self.besideSelf("batch-clone")
    }

    /// How much shorter than Toloka's one minute the shortest window is; scales latencies and
    /// toloka-kit's poll timings so that the strategies keep their real proportions.
    static func timeScale(_ limits: [RateLimit]) -> Double {
        let shortest = limits.map(\.window).min() ?? .seconds(60)
        return shortest.timeInterval / 60
    }

    /// `name` in this executable's folder; /proc/self/exe survives a relative argv[0] or a symlink.
    static func besideSelf(_ name: String) -> String {
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent(name).path
    }
}
