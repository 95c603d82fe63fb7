/// How a run ended.
public struct RunSummary: Sendable, Equatable {
    /// Why a run stopped before settling every pool.
    public enum Stop: Sendable, Equatable {
        /// The next send slot is beyond `--max-wait`; resume at this instant (epoch ms).
        case limit(resumeAt: Int64)
        /// SIGINT or SIGTERM.
        case interrupted
        /// Operations still unfinished after `--operation-timeout`.
        case unfinishedOperations(count: Int)
    }

    /// The final state of every pool of the batch (journal order).
    public var state: JournalState
    /// Pools of the CSV, in order (the journal may hold more).
    public var pools: [String]
    /// Pools cloned by this run.
    public var clonedNow: Int
    /// Clone POSTs sent by this run.
    public var clonesSent: Int
    public var stop: Stop?
    /// Clones in the ledger's windows that the account made outside it (web UI, other machines or tools).
    public var foreignClones: Int
    /// The block a 429 set, when the run stopped at the limit while it held.
    public var serverBlock: ServerBlock?

    public init(
        state: JournalState,
        pools: [String],
        clonedNow: Int,
        clonesSent: Int,
        stop: Stop?,
        foreignClones: Int = 0,
        serverBlock: ServerBlock? = nil
    ) {
        self.serverBlock = serverBlock
        self.foreignClones = foreignClones
        self.state = state
        self.pools = pools
        self.clonedNow = clonedNow
        self.clonesSent = clonesSent
        self.stop = stop
    }

    /// Pools of the CSV in each phase.
    public var cloned: Int { pools.count { if case .done = state[$0]?.phase { true } else { false } } }
    public var failed: [(pool: String, reason: String)] {
        pools.compactMap { pool in
            if case .failed(let reason, _) = state[pool]?.phase { (pool, reason) } else { nil }
        }
    }
    public var unsettled: Int { pools.count { !(state[$0]?.phase.isSettled ?? false) } }
}
