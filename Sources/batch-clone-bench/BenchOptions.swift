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
            OptionSpec("pools", .value(valueName: "N"), help: "pools cloned by each strategy (default 150)"),
            OptionSpec(
                "limit",
                .repeatable(valueName: "N/DURATION"),
                help: "scaled clone limit enforced by the simulator (default 20/3s and 100/15s)"
            ),
            OptionSpec(
                "latency",
                .value(valueName: "MIN-MAX"),
                help:
                    "clone operation duration range (default: Toloka's 500ms-2s scaled like the shortest window to 1m)"
            ),
            OptionSpec(
                "poll-interval",
                .value(valueName: "DURATION"),
                help: "batch-clone's --poll-interval in the strategy run (default 200ms)"
            ),
            OptionSpec("cost-pools", .value(valueName: "N"), help: "pools of the client-cost run (default 400)"),
            OptionSpec(
                "kept-pools",
                .value(valueName: "N"),
                help: "pools of the first kept-sends run (limits 1000/1s and 100000/1d; default 400)"
            ),
            OptionSpec(
                "kept-more-pools",
                .value(valueName: "N"),
                help: "pools of the second kept-sends run on the same state file (default 1600)"
            ),
            OptionSpec("skip-kept", .flag, help: "skip the kept-sends cost runs"),
            OptionSpec(
                "dry-run-rows",
                .value(valueName: "N"),
                help: "rows of the generated --dry-run CSV (default 100000)"
            ),
            OptionSpec("skip-strategies", .flag, help: "skip the strategy comparison"),
            OptionSpec("skip-cost", .flag, help: "skip the client-cost measurements"),
            OptionSpec("sequential", .flag, help: "run strategies 2-4 one after another (default: side by side)"),
            OptionSpec(
                "binary",
                .value(valueName: "PATH"),
                help: "the batch-clone executable (default: beside this executable)"
            ),
            OptionSpec("seed", .value(valueName: "N"), help: "simulator random seed (default 1)"),
        ],
        examples: [
            "swift build -c release --product batch-clone && swift build -c release --product batch-clone-bench",
            ".build/release/batch-clone-bench",
            ".build/release/batch-clone-bench --pools 300 --limit 20/3s --limit 100/15s --skip-cost",
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

    /// Validates parsed arguments; throws on a value that does not fit.
    init(_ arguments: ParsedArguments) throws(ArgumentError) {
        guard arguments.positionals.isEmpty else { throw .tooManyArguments(arguments.positionals) }
        pools = try arguments.integer("pools", minimum: 1) ?? 150
        costPools = try arguments.integer("cost-pools", minimum: 1) ?? 400
        keptPools = try arguments.integer("kept-pools", minimum: 1) ?? 400
        keptMorePools = try arguments.integer("kept-more-pools", minimum: 1) ?? 1600
        skipKept = arguments.flag("skip-kept")
        dryRunRows = try arguments.integer("dry-run-rows", minimum: 1) ?? 100_000
        seed = UInt64(try arguments.integer("seed", minimum: 0) ?? 1)

        let given = try arguments.limits("limit")
        let limits = (given.isEmpty ? Self.defaultLimits.compactMap(LimitSpec.parse) : given)
            .map { RateLimit(count: $0.count, window: $0.window) }
        self.limits = limits

        if let range = try arguments.durationRange("latency") {
            latency = range.lowerBound.timeInterval...range.upperBound.timeInterval
        } else {
            let scale = Self.timeScale(limits)
            latency = (0.5 * scale)...(2.0 * scale)
        }
        pollInterval = try arguments.duration("poll-interval") ?? .milliseconds(200)

        skipStrategies = arguments.flag("skip-strategies")
        skipCost = arguments.flag("skip-cost")
        sequential = arguments.flag("sequential")
        binary = arguments.value("binary") ?? Self.besideSelf("batch-clone")
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
