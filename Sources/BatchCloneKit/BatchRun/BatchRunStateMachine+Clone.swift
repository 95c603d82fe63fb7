/// What a clone POST's answer means for its work item.
extension BatchRunStateMachine {
    /// The clone of `item`, intended at `sentAt`, was answered (or not).
    mutating func cloneAnswered(
        _ item: WorkItem,
        _ result: Result<TolokaOperation, TolokaError>,
        sentAt: Int64,
        now: Int64
    ) -> [RunAction] {
        guarded { machine, actions throws(InternalError) in
            try machine.answer(item, result, sentAt: sentAt, now: now, into: &actions)
        }
    }

    private mutating func answer(
        _ item: WorkItem,
        _ result: Result<TolokaOperation, TolokaError>,
        sentAt: Int64,
        now: Int64,
        into actions: inout [RunAction]
    ) throws(InternalError) {
        guard case .sending(_, var pending) = items[item] else {
            throw .illegalMove(item, from: items[item]?.stage ?? "not in the run", to: "answered")
        }
        let error: TolokaError
        switch result {
        case .success(let operation):
            // A window after the last 429 without another, it is over.
            if let episode = rateLimit, now - episode.lastRefusal >= episode.window.length { rateLimit = nil }
            try follow(operation, of: item, intent: sentAt, now: now, into: &actions)
            return
        case .failure(let failure):
            error = failure
        }
        let source = item.source
        switch FailureKind(error) {
        case .rateLimited(let interval, let retryAfter):
            rateLimited(item, interval: interval, retryAfter: retryAfter, now: now, into: &actions)
            try record([.requeued(pool: item.journalKey, operationFailed: false)], into: &actions)
            try items.move(item, to: .queued(pending), front: true)
        case .busy:
            pending.busyRetries += 1
            if pending.busyRetries > configuration.maxBusyRetries {
                try fail(item, .stayedBusy(pool: source, tries: pending.busyRetries, error: error), into: &actions)
            } else {
                try record([.requeued(pool: item.journalKey, operationFailed: false)], into: &actions)
                actions.append(.emit(.retrying(item: item, reason: .busy)))
                pending.notBefore = now + 5 * timing.pollInterval
                try items.move(item, to: .queued(pending))
            }
        case .notFound:
            try fail(item, .doesNotExist(pool: source, on: .clone, error: error), into: &actions)
        case .accessDenied:
            try fail(item, .accessDenied(pool: source, on: .clone, error: error), into: &actions)
        case .rejected:
            try fail(item, .refused(pool: source, on: .clone, error: error), into: &actions)
        case .authentication:
            actions.append(.stop(.authentication(error.description)))
        case .transient:
            // The server may have cloned the source before failing: look before sending again.
            actions.append(.emit(.retrying(item: item, reason: .answerLost(error))))
            try items.move(item, to: .unsettled(ItemState.Unsettled(intentAt: sentAt, nextLook: now, cause: error)))
        }
    }
}
