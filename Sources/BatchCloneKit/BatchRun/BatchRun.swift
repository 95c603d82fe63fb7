import Foundation

/// One run over a batch: sends clones as fast as the ledger allows while polling earlier ones.
///
/// Every change is made durable in the journal before it is acted on, so a run killed at any
/// point resumes from the journal; a POST whose answer was lost is reconciled, never repeated blindly.
public actor BatchRun {
    struct InFlight {
        var operationID: String
        var submittedAt: Int64
        var nextPoll: Int64
    }

    let pools: [String]
    let api: any TolokaAPI
    let ledgerStore: any LedgerStore
    let journal: any JournalWriter
    let clock: any BatchClock
    let configuration: RunConfiguration
    let observer: @Sendable (RunEvent) -> Void
    let policy: RateLimitLedger

    var state: JournalState
    var queue = PoolQueue()
    var retryNotBefore: [String: Int64] = [:]
    var inFlight: [String: InFlight] = [:]
    var checked: Set<String> = []
    /// Answers of pool checks made ahead of their turn, consumed in queue order.
    var prefetchedChecks: [String: TolokaError?] = [:]
    var busyCounts: [String: Int] = [:]
    var sendingFinished = false
    var stop: RunSummary.Stop?
    var clonedNow = 0
    var clonesSent = 0
    var unfinished = 0
    var deniedStreak = 0
    var accessConfirmed = false
    var skewReported = false

    /// A run over `pools` (distinct, CSV order), starting from the journal's `state`.
    public init(
        pools: [String], state: JournalState, api: any TolokaAPI, ledgerStore: any LedgerStore,
        journal: any JournalWriter, clock: any BatchClock, configuration: RunConfiguration,
        observer: @escaping @Sendable (RunEvent) -> Void = { _ in }
    ) {
        self.pools = pools
        self.state = state
        self.api = api
        self.ledgerStore = ledgerStore
        self.journal = journal
        self.clock = clock
        self.configuration = configuration
        self.observer = observer
        self.policy = configuration.ledger()
    }

    /// Runs until every pool is settled, the next slot is beyond `--max-wait`, or cancellation.
    ///
    /// Throws `RunError` for failures that end the run, `StorageError` when the journal or state
    /// cannot be written; `summary()` still tells where the batch stands.
    public func run() async throws -> RunSummary {
        try prepare()
        do {
            for pool in pools {
                if case .sending(let at) = state[pool]?.phase {
                    try await reconcile(pool, intentAt: at)
                }
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.sendLoop() }
                group.addTask { try await self.pollLoop() }
                // Not waitForAll(): the first loop to throw must end the run and cancel the other.
                while try await group.next() != nil {}
            }
        } catch is CancellationError {
            stop = .interrupted
        }
        if stop == nil && unfinished > 0 { stop = .unfinishedOperations(count: unfinished) }
        return summary()
    }

    /// Where the batch stands now.
    public func summary() -> RunSummary {
        RunSummary(state: state, pools: pools, clonedNow: clonedNow, clonesSent: clonesSent, stop: stop)
    }

    private func prepare() throws {
        try record(pools.filter { state[$0] == nil }.map { .listed(pool: $0) })
        let listed = Set(pools)
        let unlisted = state.order.filter { !listed.contains($0) }
        if !unlisted.isEmpty {
            observer(
                .warning(
                    "\(unlisted.count) pool(s) of the journal are no longer in the CSV and are left alone: "
                        + unlisted.prefix(5).joined(separator: ", ") + (unlisted.count > 5 ? ", ..." : "")))
        }
        if configuration.retryFailed {
            try record(
                pools.filter { if case .failed = state[$0]?.phase { true } else { false } }
                    .map { .requeued(pool: $0, operationFailed: false) })
        }
        let now = clock.now.epochMilliseconds
        var done = 0
        var failed = 0
        for pool in pools {
            switch state[pool]!.phase {
            case .pending: queue.append(pool)
            case .submitted(let operation, _):
                inFlight[pool] = InFlight(operationID: operation, submittedAt: now, nextPoll: now)
            case .done: done += 1
            case .failed: failed += 1
            case .sending: break
            }
        }
        observer(.started(total: pools.count, alreadyDone: done, alreadyFailed: failed, toDo: pools.count - done - failed))
    }

    // MARK: - Sending

    private func sendLoop() async throws {
        defer { sendingFinished = true }
        while true {
            try Task.checkCancellation()
            guard let pool = queue.popFirst() else {
                if inFlight.isEmpty { return }
                // A clone that FAILs comes back to the queue; look again after a poll.
                try await clock.sleep(for: configuration.pollInterval)
                continue
            }
            if let notBefore = retryNotBefore.removeValue(forKey: pool) {
                try await clock.sleep(until: Date(epochMilliseconds: notBefore))
            }
            guard try await check(pool) else { continue }
            guard let sentAt = try await acquireSlot() else {
                queue.pushFront(pool)
                return
            }
            try record([.sending(pool: pool, at: sentAt)])
            clonesSent += 1
            configuration.afterIntentRecorded?(pool, clonesSent)
            do {
                let operation = try await api.clonePool(pool)
                try accept(operation, for: pool)
            } catch let error as TolokaError {
                try await cloneFailed(pool, error: error, sentAt: sentAt)
            }
        }
    }

    /// Checks `pool` and the next few unchecked pools of the queue at once, so that in a burst the
    /// check GETs are off the critical path between two clone POSTs. Answers wait in queue order.
    private func prefetchChecks(from pool: String) async throws {
        guard !checked.contains(pool), prefetchedChecks.index(forKey: pool) == nil else { return }
        // Until one check succeeded, go one by one: a bad token or an account without access
        // must stop the run after a single request (or the few that prove it).
        let lookahead = accessConfirmed ? configuration.checkLookahead : 1
        let batch =
            [pool]
            + queue.prefix(lookahead - 1)
            .filter { !checked.contains($0) && prefetchedChecks.index(forKey: $0) == nil }
        let api = self.api
        let answers = try await withThrowingTaskGroup(of: (String, TolokaError?).self) { group in
            for candidate in batch {
                group.addTask {
                    do {
                        try await api.checkPool(candidate)
                        return (candidate, nil)
                    } catch let error as TolokaError {
                        return (candidate, error)
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        // updateValue, not subscript assignment: assigning a nil answer (a pool that exists) would remove it.
        for (candidate, error) in answers {
            prefetchedChecks.updateValue(error, forKey: candidate)
        }
    }

    /// Checks that the pool exists before spending quota on it; false when the pool failed.
    private func check(_ pool: String) async throws -> Bool {
        if checked.contains(pool) { return true }
        try await prefetchChecks(from: pool)
        do {
            if let answer = prefetchedChecks.removeValue(forKey: pool) {
                if let error = answer { throw error }
            } else {
                try await api.checkPool(pool)
            }
            checked.insert(pool)
            accessConfirmed = true
            deniedStreak = 0
            return true
        } catch let error as TolokaError {
            switch FailureKind(error) {
            case .notFound:
                try fail(pool, "pool \(pool) does not exist or is not visible to this account (404)")
            case .accessDenied:
                deniedStreak += 1
                if !accessConfirmed && deniedStreak >= configuration.accessDeniedStopCount {
                    throw RunError.accessDenied(error.description)
                }
                try fail(pool, "no access to pool \(pool) (403)")
            case .authentication:
                throw RunError.authentication(error.description)
            case .rejected:
                try fail(pool, "pool \(pool) was refused: \(error)")
            case .transient, .rateLimited, .busy:
                throw RunError.serviceUnavailable("GET /pools/\(pool): \(error)")
            }
            return false
        }
    }

    /// Waits for the ledger to allow a send and records it; nil when that is beyond `--max-wait`.
    private func acquireSlot() async throws -> Int64? {
        var announced: Int64?
        while true {
            let now = clock.now.epochMilliseconds
            let policy = self.policy
            let (granted, at, skew, ledger) = try ledgerStore.update { log -> (Bool, Int64, Int64?, RateLimitLedger) in
                var ledger = policy
                ledger.log = log
                ledger.prune(now: now)
                let skew = ledger.futureSkew(now: now)
                let granted = ledger.takeSlot(now: now)
                log = ledger.log
                return (granted, granted ? now : ledger.earliestSend(now: now), skew, ledger)
            }
            if configuration.progressSnapshots {
                observer(.progress(progress(ledger, now: now, sending: granted)))
            }
            if let skew, skew > 1000, !skewReported {
                skewReported = true
                observer(
                    .warning(
                        "the state file records a send \(formatDuration(.milliseconds(skew))) in the future: "
                            + "the clock may have moved backwards; waiting until that send is in the past"))
            }
            if granted { return at }
            if let maxWait = configuration.maxWait, Double(at - now) > maxWait * 1000 {
                stop = .limit(resumeAt: at)
                observer(.stoppedAtLimit(resumeAt: at))
                return nil
            }
            if announced != at && at - now >= 1000 {
                announced = at
                observer(.waiting(until: at))
            }
            try await clock.sleep(until: Date(epochMilliseconds: at))
        }
    }

    /// The live snapshot; `sending` counts the clone about to leave as still to send.
    private func progress(_ ledger: RateLimitLedger, now: Int64, sending: Bool) -> RunProgress {
        var cloned = 0
        var failed = 0
        for pool in pools {
            switch state[pool]?.phase {
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

    private func accept(_ operation: TolokaOperation, for pool: String) throws {
        let now = clock.now.epochMilliseconds
        try record([.submitted(pool: pool, operationID: operation.id, at: operation.submitted ?? now)])
        observer(.submitted(pool: pool, operationID: operation.id))
        let firstPoll = now + min(500, Int64(configuration.pollInterval * 1000))
        inFlight[pool] = InFlight(operationID: operation.id, submittedAt: now, nextPoll: firstPoll)
    }

    private func cloneFailed(_ pool: String, error: TolokaError, sentAt: Int64) async throws {
        switch FailureKind(error) {
        case .rateLimited(let interval, let retryAfter):
            let now = clock.now.epochMilliseconds
            let wait = retryAfter.map { Int64(($0 * 1000).rounded(.up)) } ?? span(of: interval)
            let until = now + wait
            try ledgerStore.update { $0.block(until: until) }
            observer(.rateLimited(pool: pool, interval: interval, until: until))
            try record([.requeued(pool: pool, operationFailed: false)])
            queue.pushFront(pool)
        case .busy:
            let count = busyCounts[pool, default: 0] + 1
            busyCounts[pool] = count
            if count > configuration.maxBusyRetries {
                try fail(pool, "pool \(pool) stayed busy (409) after \(count) tries: \(error)")
            } else {
                try record([.requeued(pool: pool, operationFailed: false)])
                observer(.retrying(pool: pool, reason: "pool is busy (409)"))
                retryNotBefore[pool] = clock.now.epochMilliseconds + Int64(configuration.pollInterval * 5000)
                queue.append(pool)
            }
        case .notFound:
            try fail(pool, "pool \(pool) does not exist (404 on clone)")
        case .accessDenied:
            try fail(pool, "no access to pool \(pool) (403 on clone)")
        case .rejected:
            try fail(pool, "clone of pool \(pool) was refused: \(error)")
        case .authentication:
            throw RunError.authentication(error.description)
        case .transient:
            // The server may have cloned the pool before failing: look before sending again.
            observer(.retrying(pool: pool, reason: "clone answer lost (\(error)); looking for it on the server"))
            try await reconcile(pool, intentAt: sentAt)
        }
    }

    /// How long a 429 without Retry-After blocks, in milliseconds: the window its `payload.interval`
    /// names (Toloka's MIN, HOUR or DAY) with a second of margin, or our shortest span if it names none.
    ///
    /// A configured limit never shortens it: the server's window may be one we do not model.
    func span(of interval: String?) -> Int64 {
        let shortest = policy.limits.map(\.span).min() ?? 60_000
        switch interval {
        case "MIN": return max(61_000, shortest)
        case "HOUR": return 3_601_000
        case "DAY": return 86_401_000
        default: return shortest
        }
    }

    // MARK: - Reconciliation

    /// Settles a pool whose clone may or may not have reached the server: adopt or requeue.
    private func reconcile(_ pool: String, intentAt: Int64) async throws {
        for attempt in 0..<2 {
            if attempt > 0 { try await clock.sleep(for: configuration.pollInterval) }
            if let operation = try await findClone(of: pool, since: intentAt - Int64(configuration.clockSkew * 1000)) {
                observer(.reconciled(pool: pool, operationID: operation.id))
                try accept(operation, for: pool)
                return
            }
        }
        observer(.reconciled(pool: pool, operationID: nil))
        try record([.requeued(pool: pool, operationFailed: false)])
        queue.pushFront(pool)
    }

    /// The earliest clone of `pool` submitted since `since` that no pool of the journal owns yet.
    private func findClone(of pool: String, since: Int64) async throws -> TolokaOperation? {
        let known = Set(state.records.values.flatMap(\.operations))
        let listed: [TolokaOperation]
        do {
            listed = try await cloneOperations(since: since)
        } catch let error as TolokaError {
            if FailureKind(error) == .authentication { throw RunError.authentication(error.description) }
            throw RunError.serviceUnavailable("GET /operations: \(error)")
        }
        return listed.filter { $0.sourcePoolID == pool && !known.contains($0.id) }
            .min { ($0.submitted ?? .max) < ($1.submitted ?? .max) }
    }

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
            if inFlight.isEmpty && sendingFinished { return }
            let now = clock.now.epochMilliseconds
            let due = inFlight.filter { $0.value.nextPoll <= now }.map { ($0.key, $0.value.operationID) }
            if !due.isEmpty {
                for (pool, result) in try await read(due) {
                    try polled(pool, result)
                }
            }
            let interval = Int64(configuration.pollInterval * 1000)
            let next = inFlight.values.map(\.nextPoll).min() ?? now + interval
            try await clock.sleep(until: Date(epochMilliseconds: min(max(next, now + 1), now + interval)))
        }
    }

    /// Reads the due operations: with several due, one `GET /operations` list answers most of them
    /// (one request instead of one each); single GETs read the rest, and all of them if the list fails.
    private func read(_ due: [(pool: String, operationID: String)]) async throws -> [(
        String, Result<TolokaOperation, TolokaError>
    )] {
        var results: [(String, Result<TolokaOperation, TolokaError>)] = []
        var unread = due
        let submitted = due.compactMap { item -> Int64? in
            if case .submitted(_, let at) = state[item.pool]?.phase { at } else { nil }
        }
        if due.count >= configuration.listPollMinimum, submitted.count == due.count, let oldest = submitted.min() {
            do {
                // Submit times come from the server, so a minute of slack is plenty (and keeps the list
                // short); an operation the list misses is read on its own below.
                let slack = Int64(min(configuration.clockSkew, 60) * 1000)
                let listed = try await cloneOperations(since: oldest - slack, maxPages: 3)
                let byID = Dictionary(listed.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
                unread = []
                for item in due {
                    if let operation = byID[item.operationID] {
                        results.append((item.pool, .success(operation)))
                    } else {
                        unread.append(item)
                    }
                }
            } catch is TolokaError {
                // Not fatal: the single reads below report what matters (e.g. a 401) themselves.
            }
        }
        let api = self.api
        return try await withThrowingTaskGroup(of: (String, Result<TolokaOperation, TolokaError>).self) { group in
            for (pool, operationID) in unread {
                group.addTask {
                    do {
                        return (pool, .success(try await api.operation(operationID)))
                    } catch let error as TolokaError {
                        return (pool, .failure(error))
                    }
                }
            }
            return try await group.reduce(into: results) { $0.append($1) }
        }
    }

    private func polled(_ pool: String, _ result: Result<TolokaOperation, TolokaError>) throws {
        guard var flight = inFlight[pool] else { return }
        let now = clock.now.epochMilliseconds
        switch result {
        case .success(let operation) where operation.status == .success:
            inFlight[pool] = nil
            guard let newPool = operation.newPoolID else {
                try fail(pool, "clone operation \(operation.id) succeeded without a new pool id", operation: operation.id)
                return
            }
            try record([.done(pool: pool, newPoolID: newPool, operationID: operation.id)])
            clonedNow += 1
            observer(.cloned(pool: pool, newPoolID: newPool, operationID: operation.id))
        case .success(let operation) where operation.status == .fail:
            inFlight[pool] = nil
            let failures = (state[pool]?.failedAttempts ?? 0) + 1
            let reason = "clone operation \(operation.id) failed" + (operation.failureReason.map { ": \($0)" } ?? "")
            if failures < configuration.maxAttempts {
                try record([.requeued(pool: pool, operationFailed: true)])
                observer(.retrying(pool: pool, reason: reason))
                queue.append(pool)
            } else {
                try fail(pool, "\(reason) (attempt \(failures) of \(configuration.maxAttempts))", operation: operation.id)
            }
        case .failure(let error) where FailureKind(error) == .authentication:
            throw RunError.authentication(error.description)
        case .failure(let error) where FailureKind(error) == .notFound:
            inFlight[pool] = nil
            try fail(pool, "clone operation \(flight.operationID) is unknown to the server (404)", operation: flight.operationID)
        default:
            if Double(now - flight.submittedAt) > configuration.operationTimeout * 1000 {
                inFlight[pool] = nil
                unfinished += 1
                observer(
                    .warning(
                        "clone operation \(flight.operationID) of pool \(pool) is unfinished after "
                            + "\(formatDuration(.seconds(configuration.operationTimeout))); re-run the same command to follow it")
                )
            } else {
                flight.nextPoll = now + Int64(configuration.pollInterval * 1000)
                inFlight[pool] = flight
            }
        }
    }

    // MARK: - Journal

    private func fail(_ pool: String, _ reason: String, operation: String? = nil) throws {
        try record([.failed(pool: pool, reason: reason, operationID: operation)])
        observer(.failed(pool: pool, reason: reason))
    }

    private func record(_ events: [JournalEvent]) throws {
        guard !events.isEmpty else { return }
        try journal.append(events)
        for event in events {
            if let violation = state.apply(event) {
                preconditionFailure("batch-clone bug: \(violation)")
            }
        }
    }
}
