/// Settling clones whose outcome is unknown: a lost answer, or a crash between intent and answer.
///
/// A POST that was never answered may still have created a clone, seconds later. The clone's
/// operation is looked for in the account's operation list every few seconds (other pools go on
/// meanwhile) until the reconcile window has passed since the intent; only then is it sent again,
/// counting toward `--max-attempts`.
extension BatchRunStateMachine {
    /// The earliest submit time a clone intended at `intentAt` can show: the server's clock may be
    /// up to the clock skew allowance behind ours.
    func reconcileSince(intentAt: Int64) -> Int64 {
        intentAt - timing.clockSkew
    }

    /// The unsettled pools due for a look at `now`, and the submit time to list from; nil when none is due.
    func dueLooks(now: Int64) -> (pools: [String], since: Int64)? {
        let due = unsettled.filter { $0.value.nextLook <= now }
        guard let oldest = due.values.map(\.intentAt).min() else { return nil }
        return (due.keys.sorted(), reconcileSince(intentAt: oldest))
    }

    /// The account's clone operations, listed for the unsettled `pools`.
    ///
    /// Adopts for each pool the earliest clone of it that no pool of the journal owns yet. A pool
    /// with none is looked for again until its window has passed, then sent again, or failed as a
    /// clone that may exist once its attempts are spent.
    mutating func clonesListed(_ pools: [String], _ listed: Result<[TolokaOperation], TolokaError>, now: Int64)
        -> [RunAction]
    {
        let operations: [TolokaOperation]
        switch listed {
        case .success(let items):
            operations = items
        case .failure(let error):
            if FailureKind(error) == .authentication { return [.stop(.authentication(error.description))] }
            return [.stop(.serviceUnavailable("GET /operations: \(error)"))]
        }
        var actions: [RunAction] = []
        for pool in pools {
            guard var entry = unsettled[pool] else { continue }
            let known = Set(journal.records.values.flatMap(\.operations))
            let match =
                operations
                .filter {
                    $0.type == "POOL.CLONE" && $0.sourcePoolID.map(PoolID.canonical) == PoolID.canonical(pool)
                        && !known.contains($0.id)
                }
                .min { ($0.submitted ?? .max) < ($1.submitted ?? .max) }
            if let match {
                unsettled[pool] = nil
                actions.append(.emit(.reconciled(pool: pool, operationID: match.id)))
                follow(match, of: pool, intent: entry.intentAt, now: now, into: &actions)
            } else if now - entry.intentAt < timing.reconcileWindow {
                entry.nextLook = now + timing.reconcileInterval
                unsettled[pool] = entry
            } else {
                unsettled[pool] = nil
                giveUpLooking(pool, cause: entry.cause, into: &actions)
            }
        }
        return actions
    }

    /// No clone appeared within the window: send again, or fail once the attempts are spent.
    private mutating func giveUpLooking(_ pool: String, cause: TolokaError?, into actions: inout [RunAction]) {
        actions.append(.emit(.reconciled(pool: pool, operationID: nil)))
        let attempts = (journal[pool]?.failedAttempts ?? 0) + 1
        if attempts < configuration.maxAttempts {
            record([.requeued(pool: pool, operationFailed: true)], into: &actions)
            requeueFirst(pool)
        } else {
            fail(pool, .answerNeverFound(pool: pool, attempts: attempts, cause: cause), into: &actions)
        }
    }
}
