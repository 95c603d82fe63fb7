/// Settling clones whose outcome is unknown: a lost answer, or a crash between intent and answer.
///
/// A POST that was never answered may still have created a clone, seconds later. The clone's
/// operation is looked for in the account's operation list every few seconds (other pools go on
/// meanwhile) until the reconcile window has passed since the intent; only then is it sent again,
/// counting toward `--max-attempts`.
extension BatchRunStateMachine {
    /// The earliest submit time a clone intended at `intentAt` can show: the server's clock may be
    /// up to the clock skew allowance behind ours.
    func reconcileSince(intentAt: Int64) -> ServerInstant {
        ServerOffset(remoteBehindBy: timing.clockSkew).remote(LocalInstant(epochMilliseconds: intentAt))
    }

    /// The unsettled items due for a look at `now`, and the submit time to list from; nil when none is due.
    func dueLooks(now: Int64) -> (items: [WorkItem], since: ServerInstant)? {
        var due: [WorkItem] = []
        var oldest = Int64.max
        for item in items.unsettled {
            guard case .unsettled(let entry) = items[item], entry.nextLook <= now else { continue }
            due.append(item)
            oldest = min(oldest, entry.intentAt)
        }
        guard !due.isEmpty else { return nil }
        return (due.sorted(), reconcileSince(intentAt: oldest))
    }

    /// The account's clone operations, listed for the unsettled `looked` items.
    ///
    /// Adopts for each item the earliest clone of its source that no item of the journal owns yet.
    /// An item with none is looked for again until its window has passed, then sent again, or
    /// failed as a clone that may exist once its attempts are spent.
    mutating func clonesListed(
        _ looked: [WorkItem],
        _ listed: Result<[TolokaOperation], TolokaError>,
        now: Int64
    ) -> [RunAction] {
        let operations: [TolokaOperation]
        switch listed {
        case .success(let items):
            operations = items
        case .failure(let error):
            if FailureKind(error) == .authentication { return [.stop(.authentication(error.description))] }
            return [.stop(.serviceUnavailable("GET /operations: \(error)"))]
        }
        return guarded { machine, actions throws(InternalError) in
            var known = Set(machine.journal.records.values.flatMap(\.operations))
            for item in looked {
                guard case .unsettled(var entry) = machine.items[item] else { continue }
                let match =
                    operations
                    .filter {
                        $0.type == item.target.operationType && !known.contains($0.id)
                            && $0.sourcePoolID.map(PoolID.canonical) == PoolID.canonical(item.source)
                    }
                    .min { ($0.submitted?.epochMilliseconds ?? .max) < ($1.submitted?.epochMilliseconds ?? .max) }
                if let match {
                    known.insert(match.id)
                    actions.append(.emit(.reconciled(item: item, operationID: match.id)))
                    try machine.follow(match, of: item, intent: entry.intentAt, now: now, into: &actions)
                } else if now - entry.intentAt < machine.timing.reconcileWindow {
                    entry.nextLook = now + machine.timing.reconcileInterval
                    try machine.items.move(item, to: .unsettled(entry))
                } else {
                    try machine.giveUpLooking(item, cause: entry.cause, into: &actions)
                }
            }
        }
    }

    /// No clone appeared within the window: send again, or fail once the attempts are spent.
    private mutating func giveUpLooking(
        _ item: WorkItem,
        cause: TolokaError?,
        into actions: inout [RunAction]
    ) throws(InternalError) {
        actions.append(.emit(.reconciled(item: item, operationID: nil)))
        let attempts = (record(of: item)?.failedAttempts ?? 0) + 1
        if attempts < configuration.maxAttempts {
            try record([.requeued(pool: item.journalKey, operationFailed: true)], into: &actions)
            try items.move(item, to: .queued(.sentBefore), front: true)
        } else {
            try fail(item, .answerNeverFound(pool: item.source, attempts: attempts, cause: cause), into: &actions)
        }
    }
}
