import DurationFormat
import JSONValue

/// Every decision of a batch run, apart from its effects.
///
/// A value type in the manner of swift-nio's protocol state machines: the driver (`BatchRun`) feeds
/// it what happened (a source checked, a slot answered, a clone answered, an operation read, a list
/// read, time passed, cancellation) and performs the actions it returns. It never waits, reads a
/// clock or touches the network, so each decision is tested synchronously, event by event.
///
/// Each work item's stage lives in one place, `items`; journal events are applied to `journal` as
/// they are decided, and the driver performs each `.record` before any later action, so nothing is
/// acted on that is not durable. A step the rules forbid ends the run as an internal error.
struct BatchRunStateMachine: Sendable {
    /// The configured spans, converted once to the ledger's milliseconds.
    struct Timing: Sendable, Equatable {
        var pollInterval: Int64
        var maxWait: Int64?
        var operationTimeout: Int64
        var clockSkew: Int64
        var reconcileWindow: Int64
        /// Between two looks for a clone whose answer was lost: every few seconds, at least a poll interval.
        var reconcileInterval: Int64

        init(_ configuration: RunConfiguration) {
            pollInterval = configuration.pollInterval.millisecondsRoundedUp
            maxWait = configuration.maxWait?.millisecondsRoundedUp
            operationTimeout = configuration.operationTimeout.millisecondsRoundedUp
            clockSkew = configuration.clockSkew.millisecondsRoundedUp
            reconcileWindow = configuration.reconcileWindow.millisecondsRoundedUp
            reconcileInterval = max(pollInterval, min(5000, reconcileWindow / 8))
        }
    }

    /// The send pipeline's memory across items.
    struct Pipeline: Sendable, Equatable {
        var finished = false
        /// 403s on checks in a row before any check succeeded.
        var deniedStreak = 0
        var accessConfirmed = false
        var skewReported = false
        var announcedWait: Int64?
    }

    let runItems: [WorkItem]
    let configuration: RunConfiguration
    let timing: Timing
    /// The limits enforced, for the width of a 429's block.
    let policy: RateLimitPolicy

    // Internal rather than private: the machine's extensions in other files decide on them too.
    // `items` and `journal` guard their own invariants; the machine moves items only through them.
    /// What the journal holds durably.
    var journal: JournalState
    /// Where each work item of this run stands; empty until `start` reads the journal into it.
    var items = WorkItemTable(items: [], initial: { _ in .done })
    var pipeline = Pipeline()
    var account: AccountView
    /// The last 429 and how the run answers it.
    var rateLimit: RateLimitEpisode?
    /// The 429's block in force when the run stopped at the limit.
    var stopBlock: ServerBlock?
    var stop: RunSummary.Stop?
    /// Clones finished by this run.
    var clonedNow = 0
    /// Clone POSTs sent by this run.
    var clonesSent = 0
    /// The source objects the `--set` templates read, by source ID, read once per source.
    var stepSources: [String: JSONValue] = [:]
    /// Steps after the clone done by this run (an edit counts once), for the crash tests' failpoint.
    var stepsDoneNow = 0
    /// The pace of edits that set an overlap value, taken on the shared ledger's overlap log.
    let overlapPolicy: RateLimitPolicy
    /// No edit that sets an overlap value before this instant: the overlap log refused a slot.
    var overlapWaitUntil: Int64 = 0
    /// The live ETA, kept up to date from one progress snapshot to the next.
    var lastSendProjection = LastSendProjection()
    /// Slots held back for chains of copies, from this run's grants and clone times.
    var chains: ChainReservations
    /// Clones and steps done for the live line, counted as journal events are recorded.
    var tally: ProgressTally

    /// A machine over `items` (distinct, CSV order), starting from the journal's `state`.
    init(items: [WorkItem], state: JournalState, configuration: RunConfiguration) {
        self.runItems = items
        self.journal = state
        self.configuration = configuration
        self.timing = Timing(configuration)
        self.policy = configuration.policy
        self.account = AccountView(clockSkew: timing.clockSkew)
        self.overlapPolicy = RateLimitPolicy(limits: configuration.overlapLimits)
        self.tally = ProgressTally(items: items, journal: state)
        // A clone often finishes within half a second (the first read of one comes then, see
        // `follow`), and is seen done at a poll at the earliest.
        self.chains = ChainReservations(
            pollInterval: timing.pollInterval,
            defaultLink: max(500, timing.pollInterval)
        )
    }

    /// Where the batch stands now.
    var summary: RunSummary {
        RunSummary(
            state: journal,
            items: runItems,
            clonedNow: clonedNow,
            clonesSent: clonesSent,
            stop: stop,
            foreignClones: account.foreignClones,
            serverBlock: stopBlock
        )
    }

    // MARK: - Queries

    /// The stage of `item` in this run; nil when it is not part of it.
    func state(of item: WorkItem) -> ItemState? { items[item] }

    /// The next `count` items waiting to be sent, in order.
    func queued(prefix count: Int) -> [WorkItem] { items.queued(prefix: count) }

    /// The journal's record of `item`.
    func record(of item: WorkItem) -> PoolRecord? { journal[item.journalKey] }

    // MARK: - Start and end

    /// Lists new items, requeues failed ones under `--retry-failed`, and fills the queue.
    /// Items left in `sending` by a crash are looked for on the server (see `nextPoll`).
    mutating func start(now: Int64) -> [RunAction] {
        guarded { machine, actions throws(InternalError) in
            try machine.begin(now: now, into: &actions)
        }
    }

    private mutating func begin(now: Int64, into actions: inout [RunAction]) throws(InternalError) {
        try record(runItems.filter { record(of: $0) == nil }.map { .listed(pool: $0.journalKey) }, into: &actions)
        let listed = Set(runItems.map(\.journalKey))
        let unlisted = journal.order.filter { !listed.contains($0) }
        if !unlisted.isEmpty {
            let names = unlisted.prefix(5).joined(separator: ", ") + (unlisted.count > 5 ? ", ..." : "")
            actions.append(
                .emit(
                    .warning(
                        "\(unlisted.count) pool(s) of the journal are no longer in the CSV and are left alone: \(names)"
                    )
                )
            )
        }
        if configuration.retryFailed {
            let failed = runItems.filter { if case .failed = record(of: $0)?.phase { true } else { false } }
            let mayExist = failed.filter { record(of: $0)?.cloneMayExist == true }
            if !mayExist.isEmpty {
                let keys = mayExist.map(\.journalKey)
                let names = keys.prefix(5).joined(separator: ", ") + (keys.count > 5 ? ", ..." : "")
                actions.append(
                    .emit(
                        .warning(
                            "\(mayExist.count) failed pool(s) are not retried: a clone of each may exist (an answer was lost "
                                + "and no clone appeared in time); check the account, then remove them from the journal: \(names)"
                        )
                    )
                )
            }
            let retried = failed.filter { record(of: $0)?.cloneMayExist != true }
            try record(retried.map { .requeued(pool: $0.journalKey, operationFailed: false) }, into: &actions)
        }
        try refuseUnfillableItems(into: &actions)
        let journal = self.journal
        let plan = stepPlan
        let retryFailed = configuration.retryFailed
        items = WorkItemTable(items: runItems) { item in
            switch journal[item.journalKey]?.phase ?? .pending {
            case .pending: .queued(ItemState.Pending())
            // The intent is the ledger's grant, read as ours (exact for a file ledger; see `SlotAnswer`).
            case .sending(let at):
                .unsettled(
                    ItemState.Unsettled(intentAt: at.sameClockLocal.epochMilliseconds, nextLook: now, cause: nil)
                )
            case .submitted(let operation, let at):
                .inFlight(
                    ItemState.InFlight(
                        operationID: operation,
                        submittedAt: at.epochMilliseconds,
                        serverStamped: false,
                        followedSince: now,
                        nextPoll: now
                    )
                )
            case .done: Self.afterClone(journal[item.journalKey], plan: plan, retryFailed: retryFailed, now: now)
            case .failed: .failed
            }
        }
        actions.append(
            .emit(
                .started(
                    total: runItems.count,
                    sources: Set(runItems.map(\.source)).count,
                    alreadyDone: items.done,
                    alreadyFailed: items.failed,
                    toDo: runItems.count - items.done - items.failed
                )
            )
        )
    }

    /// The send pipeline has ended (finished, stopped or thrown).
    mutating func sendingEnded() {
        pipeline.finished = true
    }

    /// The run was cancelled (SIGINT, SIGTERM).
    mutating func cancelled() {
        stop = .interrupted
    }

    /// The run is over: operations left unfinished make it resumable.
    mutating func finish() {
        if stop == nil && items.unfinished > 0 { stop = .unfinishedOperations(count: items.unfinished) }
    }

    // MARK: - Journal and moves

    /// Runs one decision; a step the rules forbid turns into the run's end as an internal error.
    mutating func guarded(
        _ body: (inout BatchRunStateMachine, inout [RunAction]) throws(InternalError) -> Void
    ) -> [RunAction] {
        var actions: [RunAction] = []
        do {
            try body(&self, &actions)
        } catch {
            actions.append(.stop(.internalError(error.description)))
        }
        return actions
    }

    /// Applies `events` and asks for them to be recorded; an event the journal refuses is not recorded.
    mutating func record(_ events: [JournalEvent], into actions: inout [RunAction]) throws(InternalError) {
        guard !events.isEmpty else { return }
        var applied: [JournalEvent] = []
        for event in events {
            let before = journal[event.pool]
            if let violation = journal.apply(event) {
                if !applied.isEmpty { actions.append(.record(applied)) }
                throw .journal(violation)
            }
            tally.count(event, before: before)
            applied.append(event)
        }
        actions.append(.record(applied))
    }

    mutating func fail(_ item: WorkItem, _ failure: PoolFailure, into actions: inout [RunAction]) throws(InternalError)
    {
        let event = JournalEvent.failed(
            pool: item.journalKey,
            reason: failure.description,
            operationID: failure.operationID,
            cloneMayExist: failure.cloneMayExist
        )
        try record([event], into: &actions)
        try items.move(item, to: .failed)
        chains.cloneOver(item)
        actions.append(.emit(.failed(item: item, failure: failure)))
    }

    /// Starts following an operation the server accepted (or that reconciliation found).
    mutating func follow(
        _ operation: TolokaOperation,
        of item: WorkItem,
        intent: Int64?,
        now: Int64,
        into actions: inout [RunAction]
    ) throws(InternalError) {
        // The journal keeps the server's stamp when there is one, ours otherwise (`serverStamped` tells).
        let submittedAt = operation.submitted?.epochMilliseconds ?? now
        try record(
            [
                .submitted(
                    pool: item.journalKey,
                    operationID: operation.id,
                    at: ServerInstant(epochMilliseconds: submittedAt)
                )
            ],
            into: &actions
        )
        observe(operation, now: now)
        if configuration.accountView, let intent {
            // Half the margin absorbs an ordinary gap between intent and arrival: only a stall longer
            // than that moves the send (a move lengthens every window it starts).
            let arrival = arrival(of: operation).map { $0.epochMilliseconds - arrivalTolerance }
            actions.append(
                .attachToLedger(operationID: operation.id, intent: intent, item: item, arrival: arrival)
            )
        }
        actions.append(.emit(.submitted(item: item, operationID: operation.id)))
        // The first read comes soon: a clone often finishes within half a second.
        let flight = ItemState.InFlight(
            operationID: operation.id,
            submittedAt: submittedAt,
            serverStamped: operation.submitted != nil,
            followedSince: now,
            nextPoll: now + min(500, timing.pollInterval)
        )
        try items.move(item, to: .inFlight(flight))
    }
}
