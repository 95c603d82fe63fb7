/// Clones made elsewhere during a run that no listing shows: counted in the windows at `after` from
/// start, never in `GET /operations` (another account's view, a lagging index, a teammate's tool).
public struct HiddenClones: Sendable, Hashable {
    /// How many clones.
    public var count: Int
    /// When they arrive, from the simulator's start.
    public var after: Duration

    /// `count` clones counted `after` the start.
    public init(count: Int, after: Duration) {
        self.count = count
        self.after = after
    }

    /// `N@T`, T a duration such as `6s` or `1500ms`, or a number of seconds.
    public static func parse(_ text: String, duration: (String) -> Duration?) -> HiddenClones? {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let count = Int(parts[0]), count > 0 else { return nil }
        let time = String(parts[1])
        guard let after = Double(time).map({ Duration.milliseconds(Int64(($0 * 1000).rounded())) }) ?? duration(time),
            after >= .zero
        else { return nil }
        return HiddenClones(count: count, after: after)
    }
}
