import Foundation

/// The real clock: wall-clock readings anchored once, then advanced by the monotonic clock.
///
/// Anchoring keeps in-process time monotonic (a wall-clock step cannot make a wait
/// shorter or reorder recorded sends) while persisted times stay comparable across processes.
public struct SystemClock: BatchClock {
    private let wallAnchor: Date
    private let monotonicAnchor: ContinuousClock.Instant

    /// Creates a clock anchored at the current wall-clock time.
    public init() {
        monotonicAnchor = ContinuousClock.now
        wallAnchor = Date()
    }

    public var now: Date {
        wallAnchor.addingTimeInterval((ContinuousClock.now - monotonicAnchor).timeInterval)
    }

    public func sleep(until deadline: Date) async throws {
        let offset = deadline.timeIntervalSince(wallAnchor)
        let target = monotonicAnchor.advanced(by: .milliseconds(Int64((offset * 1000).rounded(.up))))
        try await ContinuousClock().sleep(until: target, tolerance: .milliseconds(1))
    }
}

extension Duration {
    /// The duration in seconds, as a `TimeInterval`.
    public var timeInterval: Double {
        let (secs, attos) = components
        return Double(secs) + Double(attos) / 1e18
    }

    /// Whole milliseconds, rounded up so that windows are never shortened.
    public var millisecondsRoundedUp: Int64 {
        let (secs, attos) = components
        return secs * 1000 + (attos + 999_999_999_999_999) / 1_000_000_000_000_000
    }
}
