/// Options several executables take alike (`batch-clone`, `toloka-sim`, the bench): one name,
/// value, validation and wording each, with the tool's own default and help.
public enum SharedOptions {
    /// Toloka's documented clone limits, 20 a minute and 100 a day, as an option writes them.
    public static let tolokaCloneLimits = [
        LimitSpec(count: 20, window: .seconds(60)), LimitSpec(count: 100, window: .seconds(86_400)),
    ]

    /// `--limit N/DURATION`, repeatable: the clone limits of an account, `defaults` when none is given.
    public static func limit(defaults: [LimitSpec], help: String) -> Option<[LimitSpec]> {
        .limits("limit", defaults: defaults, help: help)
    }

    /// `--latency MIN-MAX`: how long a simulated clone operation takes; nil leaves the tool's default.
    public static func latency(help: String, defaultValue: String?) -> Option<ClosedRange<Duration>?> {
        .durationRange("latency", help: help, defaultValue: defaultValue)
    }

    /// `--seed N`: the simulator's random seed, so that runs meet the same latencies and faults.
    public static func seed(help: String) -> Option<UInt64> {
        Option<Int>.integer("seed", default: 1, minimum: 0, help: help).map { UInt64($0) }
    }

    /// `--poll-interval DURATION`: time between reads of a running clone operation.
    public static func pollInterval(
        default: Duration,
        minimum: Duration? = nil,
        maximum: Duration = ParsedArguments.maximumDuration,
        help: String
    ) -> Option<Duration> {
        .duration("poll-interval", default: `default`, minimum: minimum, maximum: maximum, help: help)
    }
}
