import DurationFormat

/// Following accepted clones: which operations to read, and what each read means.
extension BatchRunStateMachine {
    /// The operations due for a read at `now`, or when to look again.
    func nextPoll(now: Int64) -> PollStep {
        if inFlight.isEmpty && unsettled.isEmpty && sendingFinished { return .finished }
        if let looks = dueLooks(now: now) { return .look(pools: looks.pools, since: looks.since) }
        let due = inFlight.filter { $0.value.nextPoll <= now }
            .sorted { ($0.value.nextPoll, $0.key) < ($1.value.nextPoll, $1.key) }
            .map { DuePoll(pool: $0.key, operationID: $0.value.operationID) }
        if due.isEmpty { return .sleep(until: pollWake(after: now)) }
        return .read(due: due, listSince: listSince(for: due))
    }

    /// When the poll loop wakes next, having looked at `now`: the next due read, within a poll interval.
    func pollWake(after now: Int64) -> Int64 {
        let next =
            (inFlight.values.map(\.nextPoll) + unsettled.values.map(\.nextLook)).min() ?? now + timing.pollInterval
        return min(max(next, now + 1), now + timing.pollInterval)
    }

    /// With several reads due, one `GET /operations` list (submitted since the oldest of them)
    /// answers most of them: one request instead of one each.
    private func listSince(for due: [DuePoll]) -> Int64? {
        guard due.count >= configuration.listPollMinimum else { return nil }
        let submitted = due.compactMap { item -> Int64? in
            if case .submitted(_, let at) = journal[item.pool]?.phase { at } else { nil }
        }
        guard submitted.count == due.count, let oldest = submitted.min() else { return nil }
        // Server times against the server's own filter need no skew allowance: a second of slack
        // keeps the list short on a busy account. A time of our clock's (a fallback, or a journal
        // from an earlier run) gets a minute; an operation the list misses is read on its own.
        let slack = due.allSatisfy { serverStamped.contains($0.pool) } ? 1000 : min(timing.clockSkew, 60_000)
        return oldest - slack
    }

    /// Splits `due` into the reads a list answered and those still to read one by one.
    static func match(_ due: [DuePoll], in listed: [TolokaOperation]) -> (
        answered: [(pool: String, operation: TolokaOperation)], unread: [DuePoll]
    ) {
        let byID = Dictionary(listed.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var answered: [(pool: String, operation: TolokaOperation)] = []
        var unread: [DuePoll] = []
        for item in due {
            if let operation = byID[item.operationID] {
                answered.append((item.pool, operation))
            } else {
                unread.append(item)
            }
        }
        return (answered, unread)
    }

    /// A read of the operation of `pool` answered (or failed).
    mutating func polled(_ pool: String, _ result: Result<TolokaOperation, TolokaError>, now: Int64) -> [RunAction] {
        guard var flight = inFlight[pool] else { return [] }
        var actions: [RunAction] = []
        switch result {
        case .success(let operation) where operation.status == .success:
            inFlight[pool] = nil
            // A success without `details.pool_id` is still a clone: never failed, so never sent again.
            if operation.newPoolID == nil {
                actions.append(
                    .emit(
                        .warning(
                            "clone operation \(operation.id) of pool \(pool) succeeded without naming the new pool; "
                                + "it is recorded as cloned with an unknown id"
                        )
                    )
                )
            }
            record([.done(pool: pool, newPoolID: operation.newPoolID, operationID: operation.id)], into: &actions)
            clonedNow += 1
            actions.append(.emit(.cloned(pool: pool, newPoolID: operation.newPoolID, operationID: operation.id)))
        case .success(let operation) where operation.status == .fail:
            inFlight[pool] = nil
            let failures = (journal[pool]?.failedAttempts ?? 0) + 1
            if failures < configuration.maxAttempts {
                record([.requeued(pool: pool, operationFailed: true)], into: &actions)
                let reason = RetryReason.operationFailed(operationID: operation.id, reason: operation.failureReason)
                actions.append(.emit(.retrying(pool: pool, reason: reason)))
                requeueLast(pool)
            } else {
                let failure = PoolFailure.operationFailed(
                    operationID: operation.id,
                    reason: operation.failureReason,
                    attempt: failures,
                    maxAttempts: configuration.maxAttempts
                )
                fail(pool, failure, into: &actions)
            }
        case .failure(let error) where FailureKind(error) == .authentication:
            actions.append(.stop(.authentication(error.description)))
        default:
            // Running, a failed read, or a 404 on an operation the server gave us: a replica may not
            // see it yet. Never failed (the clone exists): read again until the operation timeout.
            if now - flight.followedSince > timing.operationTimeout {
                inFlight[pool] = nil
                unfinished += 1
                actions.append(
                    .emit(
                        .warning(
                            "clone operation \(flight.operationID) of pool \(pool) is unfinished after "
                                + DurationFormatter.string(configuration.operationTimeout)
                                + "; re-run the same command to follow it"
                        )
                    )
                )
            } else {
                flight.nextPoll = now + timing.pollInterval
                inFlight[pool] = flight
            }
        }
        return actions
    }
}
