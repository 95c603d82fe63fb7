import DurationFormat
import JSONValue

/// The steps after the clone: an edit for every `--set` not yet applied, then `--open`, each durable
/// in the journal by what was asked, so a crash resumes at the step and never clones again.
extension BatchRunStateMachine {
    var stepPlan: StepPlan { configuration.steps }

    /// The stage of a cloned item given its journal record: stepping while asked steps are left.
    ///
    /// A failed step holds the item failed unless `--retry-failed`, or the step is no longer asked.
    static func afterClone(_ record: PoolRecord?, plan: StepPlan, retryFailed: Bool, now: Int64) -> ItemState {
        guard let record, case .done(let newID?, _) = record.phase, plan.hasPending(done: record.stepsDone) else {
            return .done
        }
        if let failure = record.stepFailure, plan.keys.contains(failure.step), !retryFailed { return .failed }
        return .stepping(ItemState.Stepping(newID: newID, notBefore: now, opening: nil))
    }

    /// Moves a just-cloned `item` on: to its steps, or done.
    mutating func enterSteps(_ item: WorkItem, now: Int64) throws(InternalError) {
        let next = Self.afterClone(record(of: item), plan: stepPlan, retryFailed: false, now: now)
        try items.move(item, to: next)
    }

    /// Items not yet cloned whose templates name a field their source lacks fail before their clone.
    mutating func refuseUnfillableItems(into actions: inout [RunAction]) throws(InternalError) {
        guard stepPlan.readsSource else { return }
        for item in runItems {
            guard record(of: item)?.phase == .pending, let source = stepSources[item.source],
                let field = stepPlan.missingSourceField(in: source)
            else { continue }
            let failure = PoolFailure.templateUnfilled(.missingSourceField(field))
            try record(
                [.failed(pool: item.journalKey, reason: failure.description, operationID: nil)],
                into: &actions
            )
            actions.append(.emit(.failed(item: item, failure: failure)))
        }
    }

    /// The sources whose objects the templates read, for items with steps left.
    var sourcesToRead: [WorkItem] {
        guard stepPlan.readsSource else { return [] }
        var seen: Set<String> = []
        return runItems.filter { item in
            let record = record(of: item)
            if case .failed = record?.phase, !configuration.retryFailed { return false }
            guard stepPlan.hasPending(done: record?.stepsDone ?? []) else { return false }
            return seen.insert(item.source).inserted
        }
    }

    /// The next step due, or when to look again.
    func nextStep(now: Int64) -> StepWork {
        if items.stepping.isEmpty {
            if items.inFlight.isEmpty && items.unsettled.isEmpty && pipeline.finished { return .finished }
            return .sleep(until: now + timing.pollInterval)
        }
        var wake = now + timing.pollInterval
        for item in items.stepping.sorted() {
            guard case .stepping(let stepping) = items[item] else { continue }
            guard stepping.notBefore <= now else {
                wake = min(wake, stepping.notBefore)
                continue
            }
            if let opening = stepping.opening { return .readOpen(item, operationID: opening.operationID) }
            let done = record(of: item)?.stepsDone ?? []
            let sets = stepPlan.pendingSets(done: done)
            if !sets.isEmpty {
                if StepPlan.changesOverlap(sets), overlapWaitUntil > now {
                    wake = min(wake, overlapWaitUntil)
                    continue
                }
                return .edit(item, newID: stepping.newID, sets: sets)
            }
            return .open(item, newID: stepping.newID)
        }
        return .sleep(until: max(wake, now + 1))
    }

    /// The overlap log refused an edit's slot: edits that set an overlap value wait until `until`,
    /// other steps go on.
    mutating func overlapSlotRefused(until: Int64) {
        overlapWaitUntil = max(overlapWaitUntil, until)
    }

    /// The step counts for the live line, after a step.
    var stepsCounted: RunEvent { .stepsCounted(edited: tally.edited, opened: tally.opened) }

    /// The edit of `item` applying `sets` ended.
    mutating func edited(_ item: WorkItem, sets: [SetOption], _ result: Result<Void, EditFailure>, now: Int64)
        -> [RunAction]
    {
        guard case .stepping(let stepping) = items[item] else { return [] }
        let step = sets.map(\.stepKey).joined(separator: "; ")
        // A failure is journaled under the first option of the edit: one key the next run finds in its plan.
        let key = sets.first?.stepKey ?? step
        return guarded { machine, actions throws(InternalError) in
            switch result {
            case .success:
                try machine.record(sets.map { .stepDone(pool: item.journalKey, step: $0.stepKey) }, into: &actions)
                machine.stepsDoneNow += 1
                actions.append(.emit(.stepDone(item: item, step: step, newID: stepping.newID)))
                actions.append(.emit(machine.stepsCounted))
                try machine.continueSteps(item, stepping, now: now)
            case .failure(.value(let error)):
                try machine.failStep(item, stepping, step: key, reason: error.description, into: &actions)
            case .failure(.api(let error)):
                try machine.stepError(item, stepping, step: key, error, now: now, into: &actions)
                // The overlap budget is the account's: a 429 holds every overlap edit, this run's and others'.
                if StepPlan.changesOverlap(sets), case .rateLimited = FailureKind(error),
                    case .stepping(let held) = machine.items[item]
                {
                    machine.overlapSlotRefused(until: held.notBefore)
                    actions.append(.blockOverlapLog(until: held.notBefore))
                }
            }
        }
    }

    /// The open of `item` was answered: its operation, nil when it was open already, or an error.
    mutating func openAnswered(_ item: WorkItem, _ result: Result<TolokaOperation?, TolokaError>, now: Int64)
        -> [RunAction]
    {
        guard case .stepping(var stepping) = items[item] else { return [] }
        return guarded { machine, actions throws(InternalError) in
            switch result {
            case .success(nil):
                try machine.opened(item, stepping, now: now, into: &actions)
            case .success(let operation?):
                stepping.opening = ItemState.Opening(operationID: operation.id, since: now)
                stepping.notBefore = now + min(500, machine.timing.pollInterval)
                try machine.items.move(item, to: .stepping(stepping))
            case .failure(let error):
                try machine.stepError(item, stepping, step: StepPlan.openKey, error, now: now, into: &actions)
            }
        }
    }

    /// A read of the open operation of `item` answered.
    mutating func openPolled(_ item: WorkItem, _ result: Result<TolokaOperation, TolokaError>, now: Int64)
        -> [RunAction]
    {
        guard case .stepping(var stepping) = items[item], let opening = stepping.opening else { return [] }
        return guarded { machine, actions throws(InternalError) in
            switch result {
            case .success(let operation) where operation.status == .success:
                try machine.opened(item, stepping, now: now, into: &actions)
            case .success(let operation) where operation.status == .fail:
                let reason = "open operation \(operation.id) failed" + (operation.failureReason.map { ": \($0)" } ?? "")
                try machine.failStep(item, stepping, step: StepPlan.openKey, reason: reason, into: &actions)
            case .failure(let error) where FailureKind(error) == .authentication:
                actions.append(.stop(.authentication(error.description)))
            default:
                if now - opening.since > machine.timing.operationTimeout {
                    let reason =
                        "open operation \(opening.operationID) unfinished after "
                        + DurationFormatter.string(machine.configuration.operationTimeout)
                        + "; re-run with --retry-failed to open again"
                    try machine.failStep(item, stepping, step: StepPlan.openKey, reason: reason, into: &actions)
                } else {
                    stepping.notBefore = now + machine.timing.pollInterval
                    try machine.items.move(item, to: .stepping(stepping))
                }
            }
        }
    }

    private mutating func opened(
        _ item: WorkItem,
        _ stepping: ItemState.Stepping,
        now: Int64,
        into actions: inout [RunAction]
    ) throws(InternalError) {
        try record([.stepDone(pool: item.journalKey, step: StepPlan.openKey)], into: &actions)
        stepsDoneNow += 1
        actions.append(.emit(.stepDone(item: item, step: StepPlan.openKey, newID: stepping.newID)))
        actions.append(.emit(stepsCounted))
        var next = stepping
        next.opening = nil
        try continueSteps(item, next, now: now)
    }

    /// After a step: the next one is due now, or the item is done.
    private mutating func continueSteps(_ item: WorkItem, _ stepping: ItemState.Stepping, now: Int64)
        throws(InternalError)
    {
        if stepPlan.hasPending(done: record(of: item)?.stepsDone ?? []) {
            var next = stepping
            next.notBefore = now
            try items.move(item, to: .stepping(next))
        } else {
            try items.move(item, to: .done)
        }
    }

    /// A step's request failed: a 429 waits out the server's window for this step only; a lost
    /// answer (after the client's bounded retries) or a refusal fails the step, the clone standing.
    private mutating func stepError(
        _ item: WorkItem,
        _ stepping: ItemState.Stepping,
        step: String,
        _ error: TolokaError,
        now: Int64,
        into actions: inout [RunAction]
    ) throws(InternalError) {
        switch FailureKind(error) {
        case .authentication:
            actions.append(.stop(.authentication(error.description)))
        case .rateLimited(let interval, let retryAfter):
            var next = stepping
            next.notBefore = now + Self.stepWait(interval: interval, retryAfter: retryAfter)
            actions.append(
                .emit(.warning("\(step) of \(item) hit a limit (\(error)); waiting until the window passes"))
            )
            try items.move(item, to: .stepping(next))
        default:
            try failStep(item, stepping, step: step, reason: error.description, into: &actions)
        }
    }

    /// How long a step waits after a 429: the server's Retry-After, else its interval's length.
    static func stepWait(interval: String?, retryAfter: Double?) -> Int64 {
        if let retryAfter { return Int64((retryAfter * 1000).rounded(.up)) }
        switch interval {
        case "HOUR": return 3_600_000
        case "DAY": return 86_400_000
        default: return 60_000
        }
    }

    private mutating func failStep(
        _ item: WorkItem,
        _ stepping: ItemState.Stepping,
        step: String,
        reason: String,
        into actions: inout [RunAction]
    ) throws(InternalError) {
        try record([.stepFailed(pool: item.journalKey, step: step, reason: reason)], into: &actions)
        try items.move(item, to: .failed)
        let failure = PoolFailure.stepFailed(step: step, newID: stepping.newID, reason: reason)
        actions.append(.emit(.failed(item: item, failure: failure)))
    }
}
