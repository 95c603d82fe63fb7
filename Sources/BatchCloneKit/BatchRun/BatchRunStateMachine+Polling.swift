import DurationFormat

/// Following accepted clones: which operations to read, and what each read means.
extension BatchRunStateMachine {
    /// The operations due for a read at `now`, or when to look again.
    func nextPoll(now: Int64) -> PollStep {
        if items.inFlight.isEmpty && items.unsettled.isEmpty && pipeline.finished { return .finished }
        if let looks = dueLooks(now: now) { return .look(items: looks.items, since: looks.since) }
        let due = items.inFlight.compactMap { item -> (item: WorkItem, flight: ItemState.InFlight)? in
            guard case .inFlight(let flight) = items[item], flight.nextPoll <= now else { return nil }
            return (item, flight)
        }
        .sorted { ($0.flight.nextPoll, $0.item) < ($1.flight.nextPoll, $1.item) }
        if due.isEmpty { return .sleep(until: pollWake(after: now)) }
        return .read(
            due: due.map { DuePoll(item: $0.item, operationID: $0.flight.operationID) },
            listSince: listSince(for: due.map(\.flight))
        )
    }

    /// When the poll loop wakes next, having looked at `now`: the next due read, within a poll interval.
    func pollWake(after now: Int64) -> Int64 {
        var next = now + timing.pollInterval
        for item in items.inFlight {
            if case .inFlight(let flight) = items[item] { next = min(next, flight.nextPoll) }
        }
        for item in items.unsettled {
            if case .unsettled(let entry) = items[item] { next = min(next, entry.nextLook) }
        }
        return max(next, now + 1)
    }

    /// With several reads due, one `GET /operations` list (submitted since the oldest of them)
    /// answers most of them: one request instead of one each.
    private func listSince(for due: [ItemState.InFlight]) -> ServerInstant? {
        guard due.count >= configuration.listPollMinimum, let oldest = due.map(\.submittedAt).min() else {
            return nil
        }
        // Server times against the server's own filter need no skew allowance: a second of slack
        // keeps the list short on a busy account. A time of our clock's (a fallback, or a journal
        // from an earlier run) gets a minute; an operation the list misses is read on its own.
        if due.allSatisfy(\.serverStamped) { return ServerInstant(epochMilliseconds: oldest) - .seconds(1) }
        // Some are ours: each is taken as our clock's, the server's assumed behind by the slack.
        return ServerOffset(remoteBehindBy: min(timing.clockSkew, 60_000)).remote(
            LocalInstant(epochMilliseconds: oldest)
        )
    }

    /// Splits `due` into the reads a list answered and those still to read one by one.
    static func match(_ due: [DuePoll], in listed: [TolokaOperation]) -> (
        answered: [(item: WorkItem, operation: TolokaOperation)], unread: [DuePoll]
    ) {
        let byID = Dictionary(listed.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var answered: [(item: WorkItem, operation: TolokaOperation)] = []
        var unread: [DuePoll] = []
        for due in due {
            if let operation = byID[due.operationID] {
                answered.append((due.item, operation))
            } else {
                unread.append(due)
            }
        }
        return (answered, unread)
    }

    /// A read of the operation of `item` answered (or failed).
    mutating func polled(_ item: WorkItem, _ result: Result<TolokaOperation, TolokaError>, now: Int64) -> [RunAction] {
        // A read that lands after the item moved on (a list and a single read both answered) is stale.
        guard case .inFlight(let flight) = items[item] else { return [] }
        return guarded { machine, actions throws(InternalError) in
            try machine.read(item, flight, result, now: now, into: &actions)
        }
    }

    private mutating func read(
        _ item: WorkItem,
        _ flight: ItemState.InFlight,
        _ result: Result<TolokaOperation, TolokaError>,
        now: Int64,
        into actions: inout [RunAction]
    ) throws(InternalError) {
        let key = item.journalKey
        switch result {
        case .success(let operation) where operation.status == .success:
            // A success without `details.pool_id` is still a clone: never failed, so never sent again.
            if operation.newPoolID == nil {
                actions.append(
                    .emit(
                        .warning(
                            "clone operation \(operation.id) of \(item) succeeded without naming the new "
                                + "\(item.target.name); it is recorded as cloned with an unknown id"
                        )
                    )
                )
            }
            try record([.done(pool: key, newPoolID: operation.newPoolID, operationID: operation.id)], into: &actions)
            chains.cloneDone(item, now: now)
            clonedNow += 1
            actions.append(.emit(.cloned(item: item, newPoolID: operation.newPoolID, operationID: operation.id)))
            try enterSteps(item, now: now)
        case .success(let operation) where operation.status == .fail:
            let failures = (record(of: item)?.failedAttempts ?? 0) + 1
            if failures < configuration.maxAttempts {
                try record([.requeued(pool: key, operationFailed: true)], into: &actions)
                let reason = RetryReason.operationFailed(operationID: operation.id, reason: operation.failureReason)
                actions.append(.emit(.retrying(item: item, reason: reason)))
                try items.move(item, to: .queued(.sentBefore))
            } else {
                let failure = PoolFailure.operationFailed(
                    operationID: operation.id,
                    reason: operation.failureReason,
                    attempt: failures,
                    maxAttempts: configuration.maxAttempts
                )
                try fail(item, failure, into: &actions)
            }
        case .failure(let error) where FailureKind(error) == .authentication:
            actions.append(.stop(.authentication(error.description)))
        default:
            // Running, a failed read, or a 404 on an operation the server gave us: a replica may not
            // see it yet. Never failed (the clone exists): read again until the operation timeout.
            if now - flight.followedSince > timing.operationTimeout {
                try items.move(item, to: .unfinished(operationID: flight.operationID))
                actions.append(
                    .emit(
                        .warning(
                            "clone operation \(flight.operationID) of \(item) is unfinished after "
                                + DurationFormatter.string(configuration.operationTimeout)
                                + "; re-run the same command to follow it"
                        )
                    )
                )
            } else {
                var flight = flight
                flight.nextPoll = now + timing.pollInterval
                try items.move(item, to: .inFlight(flight))
            }
        }
    }
}
