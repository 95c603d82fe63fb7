import Foundation

/// One run over a batch: sends clones as fast as the ledger allows while polling earlier ones.
///
/// A thin driver of `BatchRunStateMachine`: it performs the machine's actions (journal, ledger,
/// HTTP, waiting) and feeds their results back; every decision is the machine's.
public actor BatchRun {
    let api: any TolokaAPI
    let ledgerStore: any LedgerStore
    let journal: any JournalWriter
    let clock: any BatchClock
    let configuration: RunConfiguration
    let observer: @Sendable (RunEvent) -> Void
    var machine: BatchRunStateMachine

    /// A run over `pools` (distinct, CSV order), starting from the journal's `state`.
    public init(
        pools: [String], state: JournalState, api: any TolokaAPI, ledgerStore: any LedgerStore,
        journal: any JournalWriter, clock: any BatchClock, configuration: RunConfiguration,
        observer: @escaping @Sendable (RunEvent) -> Void = { _ in }
    ) {
        self.api = api
        self.ledgerStore = ledgerStore
        self.journal = journal
        self.clock = clock
        self.configuration = configuration
        self.observer = observer
        self.machine = BatchRunStateMachine(pools: pools, state: state, configuration: configuration)
    }

    /// Runs until every pool is settled, the next slot is beyond `--max-wait`, or cancellation.
    ///
    /// Throws `RunError` for failures that end the run, `StorageError` when the journal or state
    /// cannot be written; `summary()` still tells where the batch stands.
    public func run() async throws -> RunSummary {
        do {
            try perform(machine.start(now: now))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.sendLoop() }
                group.addTask { try await self.pollLoop() }
                // Not waitForAll(): the first loop to throw must end the run and cancel the other.
                while try await group.next() != nil {}
            }
        } catch is CancellationError {
            machine.cancelled()
        }
        machine.finish()
        return machine.summary
    }

    /// Where the batch stands now.
    public func summary() -> RunSummary {
        machine.summary
    }

    var now: Int64 { clock.now.epochMilliseconds }

    /// Performs `actions` in order; `.stop` ends the run by throwing its error.
    func perform(_ actions: [RunAction]) throws {
        for action in actions {
            switch action {
            case .record(let events):
                try journal.append(events)
            case .emit(let event):
                observer(event)
            case .blockLedger(let until):
                try ledgerStore.update { $0.block(until: until) }
            case .stop(let error):
                throw error
            }
        }
    }

    func sleep(until instant: Int64) async throws {
        try await clock.sleep(until: Date(epochMilliseconds: instant))
    }

    // MARK: - Sending

    private func sendLoop() async throws {
        defer { machine.sendingEnded() }
        while true {
            try Task.checkCancellation()
            switch machine.nextSend(now: now) {
            case .finished:
                return
            case .sleep(let until):
                try await sleep(until: until)
            case .checkPools(let pools):
                machine.poolsChecked(try await check(pools))
            case .perform(let actions):
                try perform(actions)
            case .requestSlot:
                guard try await acquireSlotAndSend() else { return }
            }
        }
    }

    /// Asks the ledger until it grants a slot, then sends the clone; false when sending is over.
    private func acquireSlotAndSend() async throws -> Bool {
        while true {
            let now = self.now
            let policy = machine.policy
            let answer = try ledgerStore.update { log -> SlotAnswer in
                var ledger = policy
                ledger.log = log
                let answer = ledger.answerSlotRequest(now: now)
                log = answer.ledger.log
                return answer
            }
            switch machine.slotAnswered(answer, now: now) {
            case .send(let pool, let at, let actions):
                try perform(actions)
                configuration.afterIntentRecorded?(pool, machine.clonesSent)
                try await send(pool, sentAt: at)
                return true
            case .wait(let until, let actions):
                try perform(actions)
                try await sleep(until: until)
            case .stopSending(let actions):
                try perform(actions)
                return false
            }
        }
    }

    private func send(_ pool: String, sentAt: Int64) async throws {
        let result: Result<TolokaOperation, TolokaError>
        do {
            result = .success(try await api.clonePool(pool))
        } catch let error as TolokaError {
            result = .failure(error)
        }
        try perform(machine.cloneAnswered(pool, result, sentAt: sentAt, now: now))
    }

    /// Checks `pools` at once, so that in a burst the check GETs are off the critical path between
    /// two clone POSTs.
    private func check(_ pools: [String]) async throws -> [(pool: String, error: TolokaError?)] {
        let api = self.api
        return try await withThrowingTaskGroup(of: (pool: String, error: TolokaError?).self) { group in
            for pool in pools {
                group.addTask {
                    do {
                        try await api.checkPool(pool)
                        return (pool, nil)
                    } catch let error as TolokaError {
                        return (pool, error)
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    // MARK: - Listing

    /// The clone operations submitted since `since` (epoch ms), paging through `has_more`, at most `maxPages`.
    private func cloneOperations(since: Int64, maxPages: Int = .max) async throws -> [TolokaOperation] {
        var query = OperationQuery(submittedAtOrAfter: since)
        var operations: [TolokaOperation] = []
        for _ in 0..<maxPages {
            let page = try await api.operations(query)
            operations += page.items.filter { $0.type == "POOL.CLONE" }
            guard page.hasMore, let last = page.items.last else { break }
            query.idAfter = last.id
        }
        return operations
    }

    // MARK: - Polling

    private func pollLoop() async throws {
        while true {
            try Task.checkCancellation()
            let now = self.now
            switch machine.nextPoll(now: now) {
            case .finished:
                return
            case .sleep(let until):
                try await sleep(until: until)
            case .look(let pools, let since):
                let listed: Result<[TolokaOperation], TolokaError>
                do {
                    listed = .success(try await cloneOperations(since: since))
                } catch let error as TolokaError {
                    listed = .failure(error)
                }
                try perform(machine.clonesListed(pools, listed, now: self.now))
            case .read(let due, let listSince):
                for (pool, result) in try await read(due, listSince: listSince) {
                    try perform(machine.polled(pool, result, now: self.now))
                }
                try await sleep(until: machine.pollWake(after: now))
            }
        }
    }

    /// Reads the due operations: the list first when the machine asked for it (it answers most of
    /// them), single GETs for the rest, and for all of them if the list fails.
    private func read(_ due: [DuePoll], listSince: Int64?) async throws -> [(String, Result<TolokaOperation, TolokaError>)] {
        var results: [(String, Result<TolokaOperation, TolokaError>)] = []
        var unread = due
        if let listSince {
            do {
                let (answered, rest) = BatchRunStateMachine.match(
                    due, in: try await cloneOperations(since: listSince, maxPages: 3))
                results = answered.map { ($0.pool, .success($0.operation)) }
                unread = rest
            } catch is TolokaError {
                // Not fatal: the single reads below report what matters (e.g. a 401) themselves.
            }
        }
        let api = self.api
        return try await withThrowingTaskGroup(of: (String, Result<TolokaOperation, TolokaError>).self) { group in
            for item in unread {
                group.addTask {
                    do {
                        return (item.pool, .success(try await api.operation(item.operationID)))
                    } catch let error as TolokaError {
                        return (item.pool, .failure(error))
                    }
                }
            }
            return try await group.reduce(into: results) { $0.append($1) }
        }
    }
}
