/// One limit of the API: at most `count` sends in any window of length `window`.
public struct RateLimit: Sendable, Hashable, CustomStringConvertible {
    /// The most sends allowed in one window.
    public var count: Int
    /// The window length.
    public var window: Duration

    /// Creates a limit of `count` sends per `window`.
    public init(count: Int, window: Duration) {
        precondition(count > 0 && window > .zero, "a rate limit needs a positive count and window")
        self.count = count
        self.window = window
    }

    /// Toloka's documented clone limits: 20 per minute and 100 per day.
    public static let tolokaCloneDefaults: [RateLimit] = [
        RateLimit(count: 20, window: .seconds(60)),
        RateLimit(count: 100, window: .seconds(86_400)),
    ]

    /// The default safety margin for this window: 2% of it, at most one second.
    public var defaultMargin: Duration {
        min(window / 50, .seconds(1))
    }

    public var description: String { "\(count)/\(formatDuration(window))" }
}

/// Formats a duration compactly for messages: `250ms`, `3s`, `1m30s`, `1d`.
func formatDuration(_ duration: Duration) -> String {
    var ms = duration.millisecondsRoundedUp
    if ms == 0 { return "0s" }
    if ms < 1000 { return "\(ms)ms" }
    var parts: [String] = []
    for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000)] where ms >= size {
        parts.append("\(ms / size)\(unit)")
        ms %= size
    }
    if ms > 0 { parts.append("\(ms)ms") }
    return parts.joined()
}
