import Foundation

/// Wall-clock time and waiting, injected so that no decision logic reads the system clock.
///
/// `now` is a wall-clock instant (it is what the ledger persists); `sleep(until:)` waits for it.
public protocol BatchClock: Sendable {
    /// The current wall-clock instant.
    var now: Date { get }
    /// Suspends until `deadline` (returns at once if it has passed); throws on cancellation.
    func sleep(until deadline: Date) async throws
}

extension BatchClock {
    func sleep(for seconds: TimeInterval) async throws {
        try await sleep(until: now.addingTimeInterval(seconds))
    }
}
