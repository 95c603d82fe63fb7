/// How a run ended.
public struct RunSummary: Sendable, Equatable {
    /// Why a run stopped before settling every pool.
    public enum Stop: Sendable, Equatable {
        /// The next send slot is beyond `--max-wait`; resume at this instant.
        case limit(resumeAt: LocalInstant)
        /// SIGINT or SIGTERM.
        case interrupted
        /// Operations still unfinished after `--operation-timeout`.
        case unfinishedOperations(count: Int)
    }

    /// The final state of every pool of the batch (journal order).
    public var state: JournalState
    /// The work items of the CSV, in order (the journal may hold more).
    public var items: [WorkItem]
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
        items: [WorkItem],
        clonedNow: Int,
        clonesSent: Int,
        stop: Stop?,
        foreignClones: Int = 0,
        serverBlock: ServerBlock? = nil
    ) {
        self.serverBlock = serverBlock
        self.foreignClones = foreignClones
        self.state = state
        self.items = items
        self.clonedNow = clonedNow
        self.clonesSent = clonesSent
        self.stop = stop
    }

    /// The journal's record of `item`.
    public func record(of item: WorkItem) -> PoolRecord? { state[item.journalKey] }

    /// Work items of the CSV in each phase.
    public var cloned: Int { items.count { if case .done = record(of: $0)?.phase { true } else { false } } }
    public var failed: [(item: WorkItem, reason: String)] {
        items.compactMap { item in
            if case .failed(let reason, _) = record(of: item)?.phase { return (item, reason) }
            if let failure = record(of: item)?.stepFailure { return (item, "\(failure.step): \(failure.reason)") }
            return nil
        }
    }
    public var unsettled: Int { items.count { !(record(of: $0)?.phase.isSettled ?? false) } }
}
