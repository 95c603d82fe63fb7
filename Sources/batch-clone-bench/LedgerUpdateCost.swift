import BatchCloneKit
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The ledger alone, in this process: CPU per slot taken on a state file already holding N sends,
/// without the requests, polls and journal writes that the whole-run figures include.
struct LedgerUpdateCost {
    let workspace: Workspace

    struct Figure {
        var keptSends: Int
        var updates: Int
        var cpuPerUpdate: Double
    }

    /// One figure per size in `kept`, each on a fresh state file.
    func measure(kept: [Int], updates: Int) throws -> [Figure] {
        try kept.map { count in
            let store = FileLedgerStore(path: try workspace.folder("ledger-\(count)") + "/state.json")
            let ledger = RateLimitLedger(limits: BenchOptions.keptLimits)
            // A file ledger keeps our clock: its instants are ours.
            let start = LedgerInstant.sameClock(LocalInstant(Date())).advanced(byMilliseconds: -3_600_000)
            try store.update { log in
                var filled = ledger
                for index in 0..<count {
                    filled.recordSend(at: start.advanced(byMilliseconds: Int64(index) * Self.spacing))
                }
                log = filled.log
            }
            let before = Self.processCPU()
            for index in 0..<updates {
                let now = start.advanced(byMilliseconds: Int64(count + index) * Self.spacing)
                // The run's own decision inside the store's lock, so the figure is what a run pays per slot.
                let decision = try store.takeSlot(ledger.policy, source: String(index), now: now.sameClockLocal)
                precondition(decision == .granted(at: now), "the measurement's sends are spaced wider than the limits")
            }
            return Figure(
                keptSends: count,
                updates: updates,
                cpuPerUpdate: (Self.processCPU() - before) / Double(updates)
            )
        }
    }

    /// Milliseconds between sends: wider than the 1000/1s limit's 1.02 ms, so every slot is granted.
    static let spacing: Int64 = 2

    /// User plus system CPU seconds of this process so far.
    static func processCPU() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
