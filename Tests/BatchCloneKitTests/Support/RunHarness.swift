import BatchCloneTestSupport
import Foundation
import Synchronization

@testable import BatchCloneKit

/// Everything a BatchRun test needs: warp clock, fake API, in-memory ledger and journal, event log.
final class RunHarness: Sendable {
    let clock: WarpClock
    let api: FakeTolokaAPI
    let store: InMemoryLedgerStore
    let journal: InMemoryJournal
    private let observed = Mutex<[RunEvent]>([])

    init(log: SendLog = SendLog(), start: Int64 = TestTime.start, journal: InMemoryJournal = InMemoryJournal()) {
        clock = WarpClock(epochMilliseconds: start)
        api = FakeTolokaAPI(clock: clock)
        store = InMemoryLedgerStore(log)
        self.journal = journal
    }

    /// The next process on the same server, ledger and clock, with a fresh journal and event log.
    init(after other: RunHarness) {
        clock = other.clock
        api = other.api
        store = other.store
        journal = InMemoryJournal()
    }

    /// A configuration suited to tests: Toloka's limits, 1 s polls, generous timeouts.
    /// Checks and polls one pool at a time unless a test asks for lookahead or list polling, so that
    /// call sequences and poll counts stay exact; without the account view (its own tests turn it on).
    static func configuration(_ change: (inout RunConfiguration) -> Void = { _ in }) -> RunConfiguration {
        var configuration = RunConfiguration()
        configuration.listPollMinimum = .max
        configuration.checkLookahead = 1
        configuration.accountView = false
        change(&configuration)
        return configuration
    }

    var events: [RunEvent] { observed.withLock { $0 } }

    func makeRun(
        pools: [String],
        state: JournalState = JournalState(),
        configuration: RunConfiguration = configuration(),
        overlapLedger: (any SlotLedger)? = nil
    )
        -> BatchRun
    {
        BatchRun(
            items: pools.map { WorkItem(source: $0) },
            state: state,
            api: api,
            ledger: store,
            overlapLedger: overlapLedger,
            journal: journal,
            clock: clock,
            configuration: configuration,
            observer: { [self] event in self.observed.withLock { $0.append(event) } }
        )
    }

    func run(
        pools: [String],
        state: JournalState = JournalState(),
        configuration: RunConfiguration = configuration(),
        overlapLedger: (any SlotLedger)? = nil
    ) async throws -> RunSummary {
        try await makeRun(pools: pools, state: state, configuration: configuration, overlapLedger: overlapLedger).run()
    }

    /// The journal events about `pool`, in order.
    func journalEvents(of pool: String) -> [JournalEvent] { journal.events.filter { $0.pool == pool } }

    /// The state that replaying the whole journal from `initial` gives, or the first violation.
    func replayedJournal(from initial: JournalState = JournalState()) -> Result<JournalState, JournalViolation> {
        var state = initial
        for event in journal.events {
            if let violation = state.apply(event) { return .failure(violation) }
        }
        return .success(state)
    }

    /// The slot times of the `sending` events of the journal (of `pool` only, if given), in order.
    func sendingTimes(of pool: String? = nil) -> [Int64] {
        journal.events.compactMap { event in
            guard case .sending(let sent, let at) = event, pool == nil || sent == pool else { return nil }
            return at.epochMilliseconds
        }
    }

    /// Every pool given up during the run, with why, in order.
    var failures: [PoolFailure] {
        events.compactMap { if case .failed(_, let failure) = $0 { failure } else { nil } }
    }

    /// Why `pool` went back to the queue, each time, in order.
    func retries(of pool: String) -> [RetryReason] {
        events.compactMap { if case .retrying(WorkItem(source: pool), let reason) = $0 { reason } else { nil } }
    }

    /// The blocks the run reported after a 429, in order.
    var rateLimits: [(pool: String, interval: String?, until: Int64, block: ServerBlock)] {
        events.compactMap {
            if case .rateLimited(let item, let block) = $0 {
                (item.source, block.interval, block.until.epochMilliseconds, block)
            } else {
                nil
            }
        }
    }

    /// Runs `run` until it ends by itself or has idled through `patience` ms of warped time; then cancels it.
    ///
    /// A run that keeps going while nothing can progress spins on the warp clock: this bounds such a hang.
    func runWatched(_ run: BatchRun, patience: Int64 = 3_600_000) async -> (
        endedByItself: Bool, result: Result<RunSummary, any Error>
    ) {
        let ended = Flag()
        let task = Task {
            defer { ended.set() }
            return try await run.run()
        }
        let limit = clock.nowMilliseconds + patience
        var spins = 0
        while !ended.isSet && clock.nowMilliseconds < limit && spins < 5_000_000 {
            spins += 1
            await Task.yield()
        }
        let endedByItself = ended.isSet
        task.cancel()
        do {
            return (endedByItself, .success(try await task.value))
        } catch {
            return (endedByItself, .failure(error))
        }
    }

    /// The ledger's recorded sends.
    var ledgerSends: [Int64] { (try? store.read().sends) ?? [] }
}

extension JournalState {
    /// A state that equals no real one, naming why (to fail comparisons with a message).
    static func invalid(_ reason: String) -> JournalState {
        var state = JournalState()
        _ = state.apply(.listed(pool: "INVALID JOURNAL: \(reason)"))
        return state
    }

    /// A state built from events (which must all be legal).
    static func replaying(_ events: [JournalEvent]) -> JournalState {
        var state = JournalState()
        for event in events {
            if let violation = state.apply(event) { return .invalid(violation.description) }
        }
        return state
    }
}

/// A thread-safe one-way flag.
final class Flag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}
