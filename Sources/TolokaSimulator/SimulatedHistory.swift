/// Clones another client made before the simulator started: counted in the windows and listed as
/// `POOL.CLONE` operations, the way the real account shows clones from the web UI or other machines.
public struct SimulatedHistory: Sendable, Equatable {
    /// How many clones.
    public var count: Int
    /// They are spread evenly over this span before start, all inside it.
    public var span: Duration

    /// `count` clones over the last `span` before start.
    public init(count: Int, span: Duration) {
        self.count = count
        self.span = span
    }

    /// Source pool IDs of the history: far above any ID a test or a user's CSV uses.
    public static let firstSourcePoolID = 8_000_000_000

    /// Seconds before start of the `index`-th clone, oldest first: the middle of each of `count` equal slices.
    func secondsBeforeStart(_ index: Int) -> Double {
        span.simulatorSeconds * (Double(count - index) - 0.5) / Double(count)
    }
}
