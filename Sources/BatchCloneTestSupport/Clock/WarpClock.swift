import BatchCloneKit
import Foundation
import Synchronization

/// A clock whose `sleep(until:)` jumps time forward at once, so that no test really waits.
///
/// Time only moves forward (`now = max(now, deadline)`); every sleep is recorded.
public final class WarpClock: BatchClock {
    private struct State {
        var now: Date
        var sleeps: [(from: Date, until: Date)] = []
    }

    private let state: Mutex<State>

    /// A clock reading `epochMilliseconds` until something sleeps or advances it.
    public init(epochMilliseconds: Int64 = TestTime.start) {
        state = Mutex(State(now: Date(epochMilliseconds: epochMilliseconds)))
    }

    public var now: Date { state.withLock { $0.now } }

    /// `now` in epoch milliseconds, the unit of the ledger and the journal.
    public var nowMilliseconds: Int64 { now.epochMilliseconds }

    /// Every sleep so far: when it was asked and until when.
    public var sleeps: [(from: Date, until: Date)] { state.withLock { $0.sleeps } }

    /// The requested length of every sleep, in seconds.
    public var sleepLengths: [TimeInterval] { sleeps.map { $0.until.timeIntervalSince($0.from) } }

    /// Moves time forward by `milliseconds` without recording a sleep.
    public func advance(milliseconds: Int64) {
        state.withLock { $0.now = $0.now.addingTimeInterval(Double(milliseconds) / 1000) }
    }

    public func sleep(until deadline: Date) async throws {
        try Task.checkCancellation()
        state.withLock { state in
            state.sleeps.append((state.now, deadline))
            if deadline > state.now { state.now = deadline }
        }
        // Lets the other tasks of the run take their turn, as a real sleep would.
        await Task.yield()
    }
}
