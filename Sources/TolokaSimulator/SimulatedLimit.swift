/// One clone quota: at most `count` clone requests in every rolling `window`.
public struct SimulatedLimit: Sendable, Hashable {
    public var count: Int
    public var window: Duration
    /// The value reported in a 429 answer's `payload.interval`: `MIN`, `HOUR` or `DAY`.
    public var interval: String

    /// Creates a limit; a nil `interval` is derived from the window (up to 60 s `MIN`, up to 1 h `HOUR`, else `DAY`).
    public init(count: Int, window: Duration, interval: String? = nil) {
        self.count = count
        self.window = window
        self.interval = interval ?? Self.derivedInterval(for: window)
    }

    static func derivedInterval(for window: Duration) -> String {
        if window <= .seconds(60) { return "MIN" }
        if window <= .seconds(3600) { return "HOUR" }
        return "DAY"
    }
}
