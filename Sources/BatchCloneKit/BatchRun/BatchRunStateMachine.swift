import DurationFormat

/// Every decision of a batch run, apart from its effects.
///
/// A value type in the manner of swift-nio's protocol state machines: the driver (`BatchRun`) feeds
/// it what happened (a pool checked, a slot answered, a clone answered, an operation read, a list
/// read, time passed, cancellation) and performs the actions it returns. It never waits, reads a
/// clock or touches the network, so each decision is tested synchronously, event by event.
///
/// Journal events are applied to `journal` as they are decided; the driver performs each
/// `.record` before any later action, so nothing is acted on that is not durable.
struct BatchRunStateMachine: Sendable {
    /// A clone the server accepted and that is being followed.
    struct InFlight: Sendable, Equatable {
        var operationID: String
        /// When this run started following it (epoch ms), for `--operation-timeout`.
        var followedSince: Int64
        var nextPoll: Int64
    }

    /// A clone whose outcome is unknown (its answer was lost, or a crash came between intent and
    /// answer): looked for on the server until the reconcile window has passed since its intent.
    struct Unsettled: Sendable, Equatable {
        var intentAt: Int64
        var nextLook: Int64
        /// Why the outcome is unknown; nil after a crash.
        var cause: TolokaError?
    }

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

    let pools: [String]
    let configuration: RunConfiguration
    let timing: Timing
    /// The limits enforced, for the width of a 429's block.
    let policy: RateLimitLedger

    // Internal rather than private: the machine's extensions in other files decide on them too.
    var journal: JournalState
    var queue = PoolQueue()
    var inFlight: [String: InFlight] = [:]
    /// The pool the send pipeline works on, popped from the queue.
    var current: String?
    var stop: RunSummary.Stop?
    var clonedNow = 0
    var clonesSent = 0
    var sendingFinished = false
    var unfinished = 0
    var busyCounts: [String: Int] = [:]
    var unsettled: [String: Unsettled] = [:]
    var account = AccountView()
    /// Pools whose journaled submit time is the server's own (not our clock's fallback).
    var serverStamped: Set<String> = []
    var retryNotBefore: [String: Int64] = [:]
    var checked: Set<String> = []
    /// Answers of pool checks made ahead of their turn, consumed in queue order (nil: the pool exists).
    var prefetchedChecks: [String: TolokaError?] = [:]
    var deniedStreak = 0
    var accessConfirmed = false
    var skewReported = false
    var announcedWait: Int64?

    /// A machine over `pools` (distinct, CSV order), starting from the journal's `state`.
    init(pools: [String], state: JournalState, configuration: RunConfiguration) {
        self.pools = pools
        self.journal = state
        self.configuration = configuration
        self.timing = Timing(configuration)
        self.policy = configuration.ledger()
    }

    /// Where the batch stands now.
    var summary: RunSummary {
        RunSummary(
            state: journal,
            pools: pools,
            clonedNow: clonedNow,
            clonesSent: clonesSent,
            stop: stop,
            foreignClones: account.foreignClones
        )
    }

    // MARK: - Start and end

    /// Lists new pools, requeues failed ones under `--retry-failed`, and fills the queue.
    /// Pools left in `sending` by a crash are looked for on the server (see `nextPoll`).
    mutating func start(now: Int64) -> [RunAction] {
        var actions: [RunAction] = []
        record(pools.filter { journal[$0] == nil }.map { .listed(pool: $0) }, into: &actions)
        let listed = Set(pools)
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
            let failed = pools.filter { if case .failed = journal[$0]?.phase { true } else { false } }
            let mayExist = failed.filter { journal[$0]?.cloneMayExist == true }
            if !mayExist.isEmpty {
                let names = mayExist.prefix(5).joined(separator: ", ") + (mayExist.count > 5 ? ", ..." : "")
                actions.append(
                    .emit(
                        .warning(
                            "\(mayExist.count) failed pool(s) are not retried: a clone of each may exist (an answer was lost "
                                + "and no clone appeared in time); check the account, then remove them from the journal: \(names)"
                        )
                    )
                )
            }
            let retried = failed.filter { journal[$0]?.cloneMayExist != true }
            record(retried.map { .requeued(pool: $0, operationFailed: false) }, into: &actions)
        }
        var done = 0
        var failed = 0
        for pool in pools {
            switch journal[pool]!.phase {
            case .pending: queue.append(pool)
            case .submitted(let operation, _):
                inFlight[pool] = InFlight(operationID: operation, followedSince: now, nextPoll: now)
            case .done: done += 1
            case .failed: failed += 1
            case .sending(let at): unsettled[pool] = Unsettled(intentAt: at, nextLook: now, cause: nil)
            }
        }
        actions.append(
            .emit(
                .started(
                    total: pools.count,
                    alreadyDone: done,
                    alreadyFailed: failed,
                    toDo: pools.count - done - failed
                )
            )
        )
        return actions
    }

    /// The send pipeline has ended (finished, stopped or thrown).
    mutating func sendingEnded() {
        sendingFinished = true
    }

    /// The run was cancelled (SIGINT, SIGTERM).
    mutating func cancelled() {
        stop = .interrupted
    }

    /// The run is over: operations left unfinished make it resumable.
    mutating func finish() {
        if stop == nil && unfinished > 0 { stop = .unfinishedOperations(count: unfinished) }
    }

    // MARK: - Journal

    /// Applies `events` and asks for them to be recorded.
    mutating func record(_ events: [JournalEvent], into actions: inout [RunAction]) {
        guard !events.isEmpty else { return }
        for event in events {
            if let violation = journal.apply(event) {
                preconditionFailure("batch-clone bug: \(violation)")
            }
        }
        actions.append(.record(events))
    }

    mutating func fail(_ pool: String, _ failure: PoolFailure, into actions: inout [RunAction]) {
        let event = JournalEvent.failed(
            pool: pool,
            reason: failure.description,
            operationID: failure.operationID,
            cloneMayExist: failure.cloneMayExist
        )
        record([event], into: &actions)
        actions.append(.emit(.failed(pool: pool, failure: failure)))
    }

    /// Starts following an operation the server accepted (or that reconciliation found).
    mutating func follow(
        _ operation: TolokaOperation,
        of pool: String,
        intent: Int64?,
        now: Int64,
        into actions: inout [RunAction]
    ) {
        record([.submitted(pool: pool, operationID: operation.id, at: operation.submitted ?? now)], into: &actions)
        if operation.submitted != nil { serverStamped.insert(pool) } else { serverStamped.remove(pool) }
        observe(operation, now: now)
        if configuration.accountView, let intent {
            // Half the margin absorbs an ordinary gap between intent and arrival: only a stall longer
            // than that moves the send (a move lengthens every window it starts).
            let arrival = arrival(of: operation, now: now).map { $0 - arrivalTolerance }
            actions.append(.attachToLedger(operationID: operation.id, intent: intent, source: pool, arrival: arrival))
        }
        actions.append(.emit(.submitted(pool: pool, operationID: operation.id)))
        // The first read comes soon: a clone often finishes within half a second.
        inFlight[pool] = InFlight(
            operationID: operation.id,
            followedSince: now,
            nextPoll: now + min(500, timing.pollInterval)
        )
    }

    // MARK: - Requeueing

    mutating func requeueFirst(_ pool: String) {
        queue.pushFront(pool)
    }

    mutating func requeueLast(_ pool: String, notBefore: Int64? = nil) {
        if let notBefore { retryNotBefore[pool] = notBefore }
        queue.append(pool)
    }
}
