import Foundation
import Synchronization

@testable import BatchCloneKit

/// A clock whose `sleep(until:)` jumps time forward at once: no test really waits.
///
/// Time only moves forward (`now = max(now, deadline)`); every sleep is recorded.
final class WarpClock: BatchClock {
    private struct State {
        var now: Date
        var sleeps: [(from: Date, until: Date)] = []
    }

    private let state: Mutex<State>

    init(epochMilliseconds: Int64 = TestTime.start) {
        state = Mutex(State(now: Date(epochMilliseconds: epochMilliseconds)))
    }

    var now: Date { state.withLock { $0.now } }

    /// `now` in epoch milliseconds (as the sources compute it).
    var nowMilliseconds: Int64 { now.epochMilliseconds }

    /// Every sleep so far: when it was asked and until when.
    var sleeps: [(from: Date, until: Date)] { state.withLock { $0.sleeps } }

    /// The requested length of every sleep, in seconds.
    var sleepLengths: [TimeInterval] { sleeps.map { $0.until.timeIntervalSince($0.from) } }

    func advance(milliseconds: Int64) {
        state.withLock { $0.now = $0.now.addingTimeInterval(Double(milliseconds) / 1000) }
    }

    func sleep(until deadline: Date) async throws {
        try Task.checkCancellation()
        state.withLock { state in
            state.sleeps.append((state.now, deadline))
            if deadline > state.now { state.now = deadline }
        }
        await Task.yield()
    }
}

enum TestTime {
    /// 2026-05-28T20:26:40.000Z: a round, recent instant.
    static let start: Int64 = 1_780_000_000_000
    static let second: Int64 = 1000
    static let minute: Int64 = 60_000
    static let day: Int64 = 86_400_000
}
