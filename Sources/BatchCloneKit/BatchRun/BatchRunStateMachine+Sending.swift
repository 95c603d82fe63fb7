import DurationFormat

/// The send pipeline: take an item, check its source, ask the ledger, send.
extension BatchRunStateMachine {
    /// The next step of the send pipeline: take an item, check it, then ask for a slot.
    mutating func nextSend(now: Int64) -> SendStep {
        var step = SendStep.perform([])
        let actions = guarded { machine, actions throws(InternalError) in
            step = try machine.sendStep(now: now, into: &actions)
        }
        return actions.isEmpty ? step : .perform(actions)
    }

    private mutating func sendStep(now: Int64, into actions: inout [RunAction]) throws(InternalError) -> SendStep {
        if items.current == nil {
            guard try items.takeNext() != nil else {
                if items.inFlight.isEmpty && items.unsettled.isEmpty {
                    pipeline.finished = true
                    return .finished
                }
                // A clone that FAILs or is never found comes back to the queue; look again after a poll.
                return .sleep(until: now + timing.pollInterval)
            }
        }
        guard let item = items.current, case .current(var pending) = items[item] else {
            throw .noCurrentItem(answer: "a send step")
        }
        if let notBefore = pending.notBefore {
            if notBefore > now { return .sleep(until: notBefore) }
            pending.notBefore = nil
            try items.move(item, to: .current(pending))
        }
        switch pending.check {
        case .exists:
            return try holdOrSlot(item, now: now)
        case .answered(let error):
            try checkAnswered(item, pending, error, into: &actions)
            return actions.isEmpty ? try holdOrSlot(item, now: now) : .perform([])
        case .unchecked:
            // Until one check succeeded, go one by one: a bad token or an account without access
            // must stop the run after a single request (or the few that prove it).
            let lookahead = pipeline.accessConfirmed ? configuration.checkLookahead : 1
            let ahead = items.queued(prefix: lookahead - 1).filter {
                if case .queued(let other) = items[$0] { other.check == .unchecked } else { false }
            }
            return .checkSources([item] + ahead)
        }
    }

    /// Back to the queue's front for a while when its send would delay a chain of copies that bounds
    /// the batch (see `ChainReservations`); otherwise on to the slot.
    private mutating func holdOrSlot(_ item: WorkItem, now: Int64) throws(InternalError) -> SendStep {
        let waiting = items.waitingChains
        if !waiting.isEmpty, case .current(let pending) = items[item],
            let hold = chains.hold(now: now, toSend: items.queuedCount + 1, chains: waiting, policy: policy)
        {
            items.keepAhead(hold.chain)
            try items.move(item, to: .queued(pending), front: true)
            return .sleep(until: hold.until)
        }
        return slotOrListing(item, now: now)
    }

    /// The slot request, or first the account's clones when the run has not listed them yet.
    private func slotOrListing(_ item: WorkItem, now: Int64) -> SendStep {
        // After a 429 the account's clones are listed at once: its block follows from what they show.
        if configuration.accountView && (account.lastListed == nil || listingAfterRateLimit) {
            return .listAccount(since: accountListSince(now: now))
        }
        return .requestSlot(item)
    }

    /// Answers of `GET /pools/{id}`: nil when the source exists; kept until each item's turn.
    mutating func sourcesChecked(_ answers: [(item: WorkItem, error: TolokaError?)]) -> [RunAction] {
        guarded { machine, _ throws(InternalError) in
            for answer in answers {
                switch machine.items[answer.item] {
                case .current(var pending):
                    pending.check = .answered(answer.error)
                    try machine.items.move(answer.item, to: .current(pending))
                case .queued(var pending):
                    pending.check = .answered(answer.error)
                    try machine.items.move(answer.item, to: .queued(pending))
                default:
                    throw .illegalMove(answer.item, from: machine.items[answer.item]?.stage ?? "unknown", to: "checked")
                }
            }
        }
    }

    /// A check answered at the item's turn: on to the slot, or the item fails, or the run stops.
    private mutating func checkAnswered(
        _ item: WorkItem,
        _ pending: ItemState.Pending,
        _ error: TolokaError?,
        into actions: inout [RunAction]
    ) throws(InternalError) {
        guard let error else {
            var pending = pending
            pending.check = .exists
            try items.move(item, to: .current(pending))
            pipeline.accessConfirmed = true
            pipeline.deniedStreak = 0
            return
        }
        let source = item.source
        switch FailureKind(error) {
        case .notFound:
            try fail(item, .doesNotExist(pool: source, on: .check, error: error), into: &actions)
        case .accessDenied:
            pipeline.deniedStreak += 1
            if !pipeline.accessConfirmed && pipeline.deniedStreak >= configuration.accessDeniedStopCount {
                actions.append(.stop(.accessDenied(error.description)))
                return
            }
            try fail(item, .accessDenied(pool: source, on: .check, error: error), into: &actions)
        case .authentication:
            actions.append(.stop(.authentication(error.description)))
        case .rejected:
            try fail(item, .refused(pool: source, on: .check, error: error), into: &actions)
        case .transient, .rateLimited, .busy:
            actions.append(.stop(.serviceUnavailable("GET /\(item.target.collection)/\(source): \(error)")))
        }
    }

    /// The ledger granted a slot for the current item or named the earliest one.
    mutating func slotAnswered(_ answer: SlotAnswer, now: Int64) -> SlotStep {
        var step = SlotStep.stopSending(actions: [])
        let failure = guarded { machine, _ throws(InternalError) in
            step = try machine.slotStep(answer, now: now)
        }
        return failure.isEmpty ? step : .stopSending(actions: failure)
    }

    private mutating func slotStep(_ answer: SlotAnswer, now: Int64) throws(InternalError) -> SlotStep {
        guard let item = items.current, case .current(let pending) = items[item] else {
            throw .noCurrentItem(answer: "a slot")
        }
        if !answer.granted, let since = listingBefore(waitingUntil: answer.at, now: now) {
            return .listAccount(since: since)
        }
        var actions: [RunAction] = []
        if configuration.progressSnapshots, let ledger = answer.ledger {
            let snapshot = progress(ledger, now: answer.ledgerNow ?? now, grantedAt: answer.granted ? answer.at : nil)
            actions.append(.emit(.progress(snapshot)))
        }
        if let skew = answer.futureSkew, skew > 1000, !pipeline.skewReported {
            pipeline.skewReported = true
            actions.append(
                .emit(
                    .warning(
                        "the state file records a send \(DurationFormatter.string(.milliseconds(skew))) in the future: "
                            + "the clock may have moved backwards; waiting until that send is in the past"
                    )
                )
            )
        }
        if answer.granted {
            pipeline.announcedWait = nil
            try record([.sending(pool: item.journalKey, at: answer.grant)], into: &actions)
            try items.move(item, to: .sending(intent: answer.at, pending))
            chains.granted(item, at: answer.at, policy: policy)
            clonesSent += 1
            return .send(item, at: answer.at, actions: actions)
        }
        if let maxWait = timing.maxWait, answer.at - now > maxWait {
            try items.move(item, to: .queued(pending), front: true)
            stop = .limit(resumeAt: LocalInstant(epochMilliseconds: answer.at))
            stopBlock = rateLimit?.block.flatMap { $0.until.epochMilliseconds > now ? $0 : nil }
            pipeline.finished = true
            actions.append(.emit(.stoppedAtLimit(resumeAt: LocalInstant(epochMilliseconds: answer.at))))
            return .stopSending(actions: actions)
        }
        if pipeline.announcedWait != answer.at && answer.at - now >= 1000 {
            pipeline.announcedWait = answer.at
            actions.append(.emit(.waiting(until: LocalInstant(epochMilliseconds: answer.at))))
        }
        return .wait(until: answer.at, actions: actions)
    }

    /// The live snapshot; a clone granted at `grantedAt` is no longer to send.
    ///
    /// `now` is the ledger's clock when it was read, and its instants are reported as ours unconverted,
    /// as always (equal for a file ledger; a Redis ledger's clock may differ by its skew). The last
    /// send is kept up to date (`LastSendProjection`), not projected anew for every remaining clone.
    mutating func progress(_ ledger: RateLimitLedger, now: Int64, grantedAt: Int64?) -> RunProgress {
        let sending = grantedAt != nil
        let toSend = items.queuedCount + (sending ? 0 : 1)
        let lastSend = lastSendProjection.update(ledger, now: now, toSend: toSend, grantedAt: grantedAt)
        return RunProgress(
            total: runItems.count,
            cloned: tally.cloned,
            failed: items.failed,
            inFlight: items.inFlight.count + (sending ? 1 : 0),
            limits: ledger.status(now: now),
            nextSlot: LocalInstant(epochMilliseconds: ledger.earliestSend(now: now)),
            lastSend: lastSend.map(LocalInstant.init(epochMilliseconds:)),
            edited: stepPlan.sets.isEmpty ? nil : tally.edited,
            opened: stepPlan.open ? tally.opened : nil
        )
    }
}
