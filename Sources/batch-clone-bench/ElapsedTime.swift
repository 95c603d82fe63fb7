import DurationFormat

/// Time since the benchmark started, for progress lines.
struct ElapsedTime: Sendable {
    private let start = ContinuousClock.now

    func formatted() -> String {
        DurationFormatter.string(ContinuousClock.now - start, .approximate)
    }
}
