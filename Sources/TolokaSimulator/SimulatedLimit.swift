/// One clone quota: at most `count` clone requests in every rolling `window`.
public struct SimulatedLimit: Sendable, Hashable {
    public var count: Int
    public var window: Duration
    /// The value reported in a 429 answer's `payload.interval`: `MIN`, `HOUR` or `DAY`.
    public var interval: String

    /// Creates a limit; a nil `interval` is derived from the window alone (up to 60 s `MIN`, up to 1 h
    /// `HOUR`, else `DAY`); `ranked` names several limits by their rank instead.
    public init(count: Int, window: Duration, interval: String? = nil) {
        self.count = count
        self.window = window
        self.interval = interval ?? Self.derivedInterval(for: window)
    }

    /// `limits` named by their rank, the rule clients map names back by: the shortest window `MIN`,
    /// the longest `DAY`, any strictly between `HOUR`. A lone window (or all of one length) keeps the
    /// name its length gives.
    public static func ranked(_ limits: [SimulatedLimit]) -> [SimulatedLimit] {
        guard let shortest = limits.map(\.window).min(), let longest = limits.map(\.window).max(), shortest < longest
        else { return limits.map { SimulatedLimit(count: $0.count, window: $0.window) } }
        return limits.map { limit in
            let name = limit.window == shortest ? "MIN" : limit.window == longest ? "DAY" : "HOUR"
            return SimulatedLimit(count: limit.count, window: limit.window, interval: name)
        }
    }

    static func derivedInterval(for window: Duration) -> String {
        if window <= .seconds(60) { return "MIN" }
        if window <= .seconds(3600) { return "HOUR" }
        return "DAY"
    }
}
