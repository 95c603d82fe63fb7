import Foundation

/// One run over a batch: sends clones as fast as the ledger allows while polling earlier ones.
///
/// A thin driver of `BatchRunStateMachine`: it performs the machine's actions (journal, ledger,
/// HTTP, waiting) and feeds their results back; every decision is the machine's.
public actor BatchRun {
    let api: any TolokaAPI
    let ledger: any SlotLedger
    /// The log that paces edits setting an overlap value, beside `ledger` so runs share the budget.
    let overlapLedger: any SlotLedger
    let journal: any JournalWriter
    let clock: any BatchClock
    let configuration: RunConfiguration
    let observer: @Sendable (RunEvent) -> Void
    var machine: BatchRunStateMachine
    let lister: CloneLister

    /// A run over `items` (distinct, CSV order, all of `ledger`'s target), starting from the journal's
    /// `state`. Overlap edits take slots on `overlapLedger`'s log; without one, this process's only.
    public init(
        items: [WorkItem],
        state: JournalState,
        api: any TolokaAPI,
        ledger: any SlotLedger,
        overlapLedger: (any SlotLedger)? = nil,
        journal: any JournalWriter,
        clock: any BatchClock,
        configuration: RunConfiguration,
        observer: @escaping @Sendable (RunEvent) -> Void = { _ in }
    ) {
        self.api = api
        self.ledger = ledger
        self.overlapLedger = overlapLedger ?? ProcessLedgerStore(.overlapEdits)
        self.journal = journal
        self.clock = clock
        self.configuration = configuration
        self.observer = observer
        self.machine = BatchRunStateMachine(items: items, state: state, configuration: configuration)
        self.lister = CloneLister(api: api, target: ledger.ledgerLog.cloneTarget ?? .pool) { error in
            observer(.warning("the server refused the type filter of GET /operations (\(error)); listing every type"))
        }
    }

    /// Runs until every pool is settled, the next slot is beyond `--max-wait`, or cancellation.
    ///
    /// Throws `RunError` for failures that end the run, `StorageError` when the journal or state
    /// cannot be written; `summary()` still tells where the batch stands.
    public func run() async throws -> RunSummary {
        do {
            try await readSources()
            try perform(machine.start(now: now))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.sendLoop() }
                group.addTask { try await self.pollLoop() }
                if !configuration.steps.isEmpty { group.addTask { try await self.stepLoop() } }
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
                try journal.append(events, durability: JournalDurability(for: events))
            case .emit(let event):
                observer(event)
            case .blockLedger(let until):
                try ledger.block(for: .milliseconds(max(0, until - now)), now: now)
            case .blockOverlapLog(let until):
                try overlapLedger.block(for: .milliseconds(max(0, until - now)), now: now)
            case .readLedger:
                if let (log, ledgerNow) = try? ledger.snapshot(now: now) {
                    try perform(machine.ledgerRead(log, ledgerNow: ledgerNow, now: now))
                } else {
                    try perform(machine.ledgerUnreadable(now: now))
                }
            case .attachToLedger(let operationID, let intent, let item, let arrival):
                let send = OwnSend(intent: intent, source: item.source, target: item.target.name)
                try ledger.attach(operationID: operationID, send: send, arrival: arrival, now: now)
            case .mergeIntoLedger(let clones):
                let count = try ledger.merge(clones, now: now)
                try perform(machine.merged(count: count))
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
            case .checkSources(let items):
                try perform(machine.sourcesChecked(try await check(items)))
            case .perform(let actions):
                try perform(actions)
            case .listAccount(let since):
                try perform(machine.accountListed(try await listClones(since: since), now: now))
            case .requestSlot(let item):
                guard try await acquireSlotAndSend(item) else { return }
            }
        }
    }

    /// Asks the ledger until it grants a slot, then sends the clone; false when sending is over.
    private func acquireSlotAndSend(_ item: WorkItem) async throws -> Bool {
        while true {
            let now = self.now
            let answer = try slotAnswer(now: now, for: item)
            switch machine.slotAnswered(answer, now: now) {
            case .send(let item, let at, let actions):
                try perform(actions)
                configuration.afterIntentRecorded?(item.journalKey, machine.clonesSent)
                try await send(item, sentAt: at)
                return true
            case .wait(let until, let actions):
                try perform(actions)
                // A shared ledger is asked again within its heartbeat, so that its loss is noticed.
                let heartbeat = ledger.heartbeat.map { now + $0.millisecondsRoundedUp } ?? until
                try await sleep(until: min(until, heartbeat))
            case .stopSending(let actions):
                try perform(actions)
                return false
            case .listAccount(let since):
                try perform(machine.accountListed(try await listClones(since: since), now: self.now))
            }
        }
    }

    /// One slot decision of the shared ledger, with the ledger read when the machine can use it.
    private func slotAnswer(now: Int64, for item: WorkItem) throws -> SlotAnswer {
        let policy = machine.policy
        let decision = try ledger.takeSlot(policy, source: item.source, now: now)
        var answer = SlotAnswer(decision, now: now)
        guard configuration.progressSnapshots || !answer.granted, let (log, ledgerNow) = try? ledger.snapshot(now: now)
        else { return answer }
        let read = RateLimitLedger(policy: policy, log: log)
        answer.futureSkew = read.futureSkew(now: ledgerNow)
        answer.ledger = read
        answer.ledgerNow = ledgerNow
        return answer
    }

    private func send(_ item: WorkItem, sentAt: Int64) async throws {
        let result: Result<TolokaOperation, TolokaError>
        do {
            result = .success(try await api.clone(item.source, of: item.target))
        } catch let error as TolokaError {
            result = .failure(error)
        }
        try perform(machine.cloneAnswered(item, result, sentAt: sentAt, now: now))
    }

    /// Checks the sources of `items` at once, so that in a burst the check GETs are off the critical
    /// path between two clone POSTs.
    private func check(_ items: [WorkItem]) async throws -> [(item: WorkItem, error: TolokaError?)] {
        let api = self.api
        return try await withThrowingTaskGroup(of: (item: WorkItem, error: TolokaError?).self) { group in
            for item in items {
                group.addTask {
                    do {
                        try await api.check(item.source, of: item.target)
                        return (item, nil)
                    } catch let error as TolokaError {
                        return (item, error)
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }
}
