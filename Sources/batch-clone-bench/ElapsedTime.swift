/// Seconds since the benchmark started, for progress lines.
struct ElapsedTime: Sendable {
    private let start = ContinuousClock.now

    func formatted() -> String {
        let seconds = (ContinuousClock.now - start).components.seconds
        return "\(seconds / 60):" + (seconds % 60 < 10 ? "0" : "") + "\(seconds % 60)"
    }
}
