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
        /// The kept sends were listed clones (operations) a day old, one leaving retention per update.
        var atRetentionEdge = false
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
            let first = start.sameClockLocal.advanced(byMilliseconds: Int64(count) * Self.spacing)
            return Figure(
                keptSends: count,
                updates: updates,
                cpuPerUpdate: try Self.cpuPerSlot(store, ledger.policy, updates: updates, from: first)
            )
        }
    }

    /// One figure per size in `kept` on a log a day old: `count` clones listed by the account, so each
    /// an operation, the oldest leaving the 1-day retention at every update, as on a file in use for days.
    func measureAtRetentionEdge(kept: [Int], updates: Int) throws -> [Figure] {
        try kept.map { count in
            let store = FileLedgerStore(path: try workspace.folder("ledger-edge-\(count)") + "/state.json")
            let ledger = RateLimitLedger(limits: BenchOptions.keptLimits)
            let start = LocalInstant(Date())
            let day = Int64(86_400_000)
            // The listed clones start just inside the day before `start`, spaced as the updates are.
            let clones = (0..<count).map { index in
                AccountClone(
                    operationID: "listed-\(index)",
                    time: start.advanced(byMilliseconds: Int64(index) * Self.spacing - day + Self.spacing)
                )
            }
            _ = try store.merge(clones, now: start)
            return Figure(
                keptSends: count,
                updates: updates,
                cpuPerUpdate: try Self.cpuPerSlot(
                    store,
                    ledger.policy,
                    updates: updates,
                    from: start.advanced(byMilliseconds: Self.spacing)
                ),
                atRetentionEdge: true
            )
        }
    }

    /// CPU seconds per slot taken on `store`, `updates` times `spacing` apart from `first`: the run's
    /// own decision inside the store's lock, so the figure is what a run pays per slot.
    static func cpuPerSlot(_ store: FileLedgerStore, _ policy: RateLimitPolicy, updates: Int, from first: LocalInstant)
        throws -> Double
    {
        let before = processCPU()
        for index in 0..<updates {
            let now = first.advanced(byMilliseconds: Int64(index) * spacing)
            let decision = try store.takeSlot(policy, source: String(index), now: now)
            precondition(
                decision == .granted(at: .sameClock(now)),
                "the measurement's sends are spaced wider than the limits"
            )
        }
        return (processCPU() - before) / Double(updates)
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
