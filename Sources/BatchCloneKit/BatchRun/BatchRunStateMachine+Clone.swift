/// What a clone POST's answer means for its pool, and how a lost answer is settled.
extension BatchRunStateMachine {
    /// The clone of `pool`, intended at `sentAt`, was answered (or not).
    mutating func cloneAnswered(
        _ pool: String, _ result: Result<TolokaOperation, TolokaError>, sentAt: Int64, now: Int64
    ) -> [RunAction] {
        var actions: [RunAction] = []
        let error: TolokaError
        switch result {
        case .success(let operation):
            follow(operation, of: pool, now: now, into: &actions)
            return actions
        case .failure(let failure):
            error = failure
        }
        switch FailureKind(error) {
        case .rateLimited(let interval, let retryAfter):
            let wait = retryAfter.map { Int64(($0 * 1000).rounded(.up)) } ?? blockSpan(of: interval)
            let until = now + wait
            actions.append(.blockLedger(until: until))
            actions.append(.emit(.rateLimited(pool: pool, interval: interval, until: until)))
            record([.requeued(pool: pool, operationFailed: false)], into: &actions)
            requeueFirst(pool)
        case .busy:
            let count = busyCounts[pool, default: 0] + 1
            busyCounts[pool] = count
            if count > configuration.maxBusyRetries {
                fail(pool, .stayedBusy(pool: pool, tries: count, error: error), into: &actions)
            } else {
                record([.requeued(pool: pool, operationFailed: false)], into: &actions)
                actions.append(.emit(.retrying(pool: pool, reason: .busy)))
                requeueLast(pool, notBefore: now + 5 * timing.pollInterval)
            }
        case .notFound:
            fail(pool, .doesNotExist(pool: pool, on: .clone), into: &actions)
        case .accessDenied:
            fail(pool, .accessDenied(pool: pool, on: .clone), into: &actions)
        case .rejected:
            fail(pool, .refused(pool: pool, on: .clone, error: error), into: &actions)
        case .authentication:
            actions.append(.stop(.authentication(error.description)))
        case .transient:
            // The server may have cloned the pool before failing: look before sending again.
            actions.append(.emit(.retrying(pool: pool, reason: .answerLost(error))))
            actions.append(.reconcile(pool: pool, intentAt: sentAt))
        }
        return actions
    }

    /// How long a 429 without Retry-After blocks, in milliseconds: the window its `payload.interval`
    /// names (Toloka's MIN, HOUR or DAY) with a second of margin, or our shortest span if it names none.
    ///
    /// A configured limit never shortens it: the server's window may be one we do not model.
    func blockSpan(of interval: String?) -> Int64 {
        let shortest = policy.limits.map(\.span).min() ?? 60_000
        switch interval {
        case "MIN": return max(61_000, shortest)
        case "HOUR": return 3_601_000
        case "DAY": return 86_401_000
        default: return shortest
        }
    }

    // MARK: - Reconciliation

    /// The earliest submit time a clone intended at `intentAt` can show, given the server's clock skew.
    func reconcileSince(intentAt: Int64) -> Int64 {
        intentAt - timing.clockSkew
    }

    /// One look at the server's clone operations for `pool` (the `attempt`-th, from 0).
    ///
    /// Adopts the earliest clone of the pool that no pool of the journal owns yet; when there is
    /// none after two looks, one poll interval apart, the pool goes back to the front of the queue.
    mutating func reconcileListed(
        _ pool: String, _ listed: Result<[TolokaOperation], TolokaError>, attempt: Int, now: Int64
    ) -> ReconcileStep {
        let operations: [TolokaOperation]
        switch listed {
        case .success(let items):
            operations = items
        case .failure(let error):
            if FailureKind(error) == .authentication { return .perform([.stop(.authentication(error.description))]) }
            return .perform([.stop(.serviceUnavailable("GET /operations: \(error)"))])
        }
        let known = Set(journal.records.values.flatMap(\.operations))
        let match =
            operations
            .filter { $0.type == "POOL.CLONE" && $0.sourcePoolID == pool && !known.contains($0.id) }
            .min { ($0.submitted ?? .max) < ($1.submitted ?? .max) }
        var actions: [RunAction] = []
        if let match {
            actions.append(.emit(.reconciled(pool: pool, operationID: match.id)))
            follow(match, of: pool, now: now, into: &actions)
            return .perform(actions)
        }
        if attempt < 1 { return .lookAgain(after: now + timing.pollInterval) }
        actions.append(.emit(.reconciled(pool: pool, operationID: nil)))
        record([.requeued(pool: pool, operationFailed: false)], into: &actions)
        requeueFirst(pool)
        return .perform(actions)
    }
}
