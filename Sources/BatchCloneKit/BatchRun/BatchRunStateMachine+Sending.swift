import DurationFormat

/// The send pipeline: take a pool, check it, ask the ledger, send.
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
            let ahead = queue.prefix(lookahead - 1).filter {
                !checked.contains($0) && prefetchedChecks.index(forKey: $0) == nil
            }
            return .checkPools([pool] + ahead)
        }
        let actions = checkAnswered(pool, answer)
        return current == nil ? .perform(actions) : slotOrListing(pool, now: now)
    }

    /// The slot request, or first the account's clones when the run has not listed them yet.
    private func slotOrListing(_ pool: String, now: Int64) -> SendStep {
        if configuration.accountView && account.lastListed == nil {
            return .listAccount(since: accountListSince(now: now))
        }
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
            fail(pool, .doesNotExist(pool: pool, on: .check, error: error), into: &actions)
        case .accessDenied:
            deniedStreak += 1
            if !accessConfirmed && deniedStreak >= configuration.accessDeniedStopCount {
                return [.stop(.accessDenied(error.description))]
            }
            fail(pool, .accessDenied(pool: pool, on: .check, error: error), into: &actions)
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
                            + "the clock may have moved backwards; waiting until that send is in the past"
                    )
                )
            )
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
            total: pools.count,
            cloned: cloned,
            failed: failed,
            inFlight: inFlight.count + (sending ? 1 : 0),
            limits: ledger.status(now: now),
            nextSlot: ledger.earliestSend(now: now),
            lastSend: toSend > 0 ? ledger.projectedSends(count: toSend, now: now).last : nil
        )
    }
}
