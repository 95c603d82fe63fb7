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
    private var retryNotBefore: [String: Int64] = [:]
    private var checked: Set<String> = []
    /// Answers of pool checks made ahead of their turn, consumed in queue order (nil: the pool exists).
    private var prefetchedChecks: [String: TolokaError?] = [:]
    private var deniedStreak = 0
    private var accessConfirmed = false
    private var skewReported = false
    private var announcedWait: Int64?

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
            state: journal, pools: pools, clonedNow: clonedNow, clonesSent: clonesSent, stop: stop,
            foreignClones: account.foreignClones)
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
                .emit(.warning("\(unlisted.count) pool(s) of the journal are no longer in the CSV and are left alone: \(names)")))
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
                        )))
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
            .emit(.started(total: pools.count, alreadyDone: done, alreadyFailed: failed, toDo: pools.count - done - failed)))
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
            pool: pool, reason: failure.description, operationID: failure.operationID, cloneMayExist: failure.cloneMayExist)
        record([event], into: &actions)
        actions.append(.emit(.failed(pool: pool, failure: failure)))
    }

    /// Starts following an operation the server accepted (or that reconciliation found).
    mutating func follow(
        _ operation: TolokaOperation, of pool: String, intent: Int64?, now: Int64, into actions: inout [RunAction]
    ) {
        record([.submitted(pool: pool, operationID: operation.id, at: operation.submitted ?? now)], into: &actions)
        if operation.submitted != nil { serverStamped.insert(pool) } else { serverStamped.remove(pool) }
        observe(operation, now: now)
        if configuration.accountView, let intent {
            actions.append(.attachToLedger(operationID: operation.id, intent: intent, arrival: arrival(of: operation, now: now)))
        }
        actions.append(.emit(.submitted(pool: pool, operationID: operation.id)))
        // The first read comes soon: a clone often finishes within half a second.
        inFlight[pool] = InFlight(operationID: operation.id, followedSince: now, nextPoll: now + min(500, timing.pollInterval))
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

// MARK: - The send pipeline

extension BatchRunStateMachine {
    /// The next step of the send pipeline: take a pool, check it, then ask for a slot.
    mutating func nextSend(now: Int64) -> SendStep {
        if current == nil {
            guard let pool = queue.popFirst() else {
                if inFlight.isEmpty && unsettled.isEmpty {
                    sendingFinished = true
                    return .finished
                }
                // A clone that FAILs or is never found comes back to the queue; look again after a poll.
                return .sleep(until: now + timing.pollInterval)
            }
            current = pool
        }
        let pool = current!
        if let notBefore = retryNotBefore[pool] {
            if notBefore > now { return .sleep(until: notBefore) }
            retryNotBefore[pool] = nil
        }
        if checked.contains(pool) { return slotOrListing(pool, now: now) }
        guard let answer = prefetchedChecks.removeValue(forKey: pool) else {
            // Until one check succeeded, go one by one: a bad token or an account without access
            // must stop the run after a single request (or the few that prove it).
            let lookahead = accessConfirmed ? configuration.checkLookahead : 1
            let ahead = queue.prefix(lookahead - 1).filter { !checked.contains($0) && prefetchedChecks.index(forKey: $0) == nil }
            return .checkPools([pool] + ahead)
        }
        let actions = checkAnswered(pool, answer)
        return current == nil ? .perform(actions) : slotOrListing(pool, now: now)
    }

    /// The slot request, or first the account's clones when the run has not listed them yet.
    private func slotOrListing(_ pool: String, now: Int64) -> SendStep {
        if configuration.accountView && account.lastListed == nil { return .listAccount(since: accountListSince(now: now)) }
        return .requestSlot(pool: pool)
    }

    /// Answers of `GET /pools/{id}`: nil when the pool exists.
    mutating func poolsChecked(_ answers: [(pool: String, error: TolokaError?)]) {
        // updateValue, not subscript assignment: assigning a nil answer (a pool that exists) would remove it.
        for answer in answers {
            prefetchedChecks.updateValue(answer.error, forKey: answer.pool)
        }
    }

    private mutating func checkAnswered(_ pool: String, _ error: TolokaError?) -> [RunAction] {
        guard let error else {
            checked.insert(pool)
            accessConfirmed = true
            deniedStreak = 0
            return []
        }
        current = nil
        var actions: [RunAction] = []
        switch FailureKind(error) {
        case .notFound:
            fail(pool, .doesNotExist(pool: pool, on: .check), into: &actions)
        case .accessDenied:
            deniedStreak += 1
            if !accessConfirmed && deniedStreak >= configuration.accessDeniedStopCount {
                return [.stop(.accessDenied(error.description))]
            }
            fail(pool, .accessDenied(pool: pool, on: .check), into: &actions)
        case .authentication:
            return [.stop(.authentication(error.description))]
        case .rejected:
            fail(pool, .refused(pool: pool, on: .check, error: error), into: &actions)
        case .transient, .rateLimited, .busy:
            return [.stop(.serviceUnavailable("GET /pools/\(pool): \(error)"))]
        }
        return actions
    }

    /// The ledger granted a slot for the current pool or named the earliest one.
    mutating func slotAnswered(_ answer: SlotAnswer, now: Int64) -> SlotStep {
        guard let pool = current else { preconditionFailure("batch-clone bug: a slot without a pool") }
        if !answer.granted, let since = listingBefore(waitingUntil: answer.at, now: now) {
            return .listAccount(since: since)
        }
        var actions: [RunAction] = []
        if configuration.progressSnapshots, let ledger = answer.ledger {
            actions.append(.emit(.progress(progress(ledger, now: answer.ledgerNow ?? now, sending: answer.granted))))
        }
        if let skew = answer.futureSkew, skew > 1000, !skewReported {
            skewReported = true
            actions.append(
                .emit(
                    .warning(
                        "the state file records a send \(DurationFormatter.string(.milliseconds(skew))) in the future: "
                            + "the clock may have moved backwards; waiting until that send is in the past")))
        }
        if answer.granted {
            current = nil
            announcedWait = nil
            record([.sending(pool: pool, at: answer.at)], into: &actions)
            clonesSent += 1
            return .send(pool: pool, at: answer.at, actions: actions)
        }
        if let maxWait = timing.maxWait, answer.at - now > maxWait {
            current = nil
            queue.pushFront(pool)
            stop = .limit(resumeAt: answer.at)
            sendingFinished = true
            actions.append(.emit(.stoppedAtLimit(resumeAt: answer.at)))
            return .stopSending(actions: actions)
        }
        if announcedWait != answer.at && answer.at - now >= 1000 {
            announcedWait = answer.at
            actions.append(.emit(.waiting(until: answer.at)))
        }
        return .wait(until: answer.at, actions: actions)
    }

    /// The live snapshot; `sending` counts the clone about to leave as still to send.
    func progress(_ ledger: RateLimitLedger, now: Int64, sending: Bool) -> RunProgress {
        var cloned = 0
        var failed = 0
        for pool in pools {
            switch journal[pool]?.phase {
            case .done: cloned += 1
            case .failed: failed += 1
            default: break
            }
        }
        let toSend = queue.count + (sending ? 0 : 1)
        return RunProgress(
            total: pools.count, cloned: cloned, failed: failed, inFlight: inFlight.count + (sending ? 1 : 0),
            limits: ledger.status(now: now), nextSlot: ledger.earliestSend(now: now),
            lastSend: toSend > 0 ? ledger.projectedSends(count: toSend, now: now).last : nil)
    }
}
