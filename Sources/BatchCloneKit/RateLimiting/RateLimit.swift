import DurationFormat

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

    public var description: String { "\(count)/\(DurationFormatter.string(window))" }
}
