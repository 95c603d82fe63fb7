/// What a clone POST's answer means for its pool.
extension BatchRunStateMachine {
    /// The clone of `pool`, intended at `sentAt`, was answered (or not).
    mutating func cloneAnswered(
        _ pool: String,
        _ result: Result<TolokaOperation, TolokaError>,
        sentAt: Int64,
        now: Int64
    ) -> [RunAction] {
        var actions: [RunAction] = []
        let error: TolokaError
        switch result {
        case .success(let operation):
            follow(operation, of: pool, intent: sentAt, now: now, into: &actions)
            return actions
        case .failure(let failure):
            error = failure
        }
        switch FailureKind(error) {
        case .rateLimited(let interval, let retryAfter):
            let wait = retryAfter.map { Duration.seconds($0).millisecondsRoundedUp } ?? blockSpan(of: interval)
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
            fail(pool, .doesNotExist(pool: pool, on: .clone, error: error), into: &actions)
        case .accessDenied:
            fail(pool, .accessDenied(pool: pool, on: .clone, error: error), into: &actions)
        case .rejected:
            fail(pool, .refused(pool: pool, on: .clone, error: error), into: &actions)
        case .authentication:
            actions.append(.stop(.authentication(error.description)))
        case .transient:
            // The server may have cloned the pool before failing: look before sending again.
            actions.append(.emit(.retrying(pool: pool, reason: .answerLost(error))))
            unsettled[pool] = Unsettled(intentAt: sentAt, nextLook: now, cause: error)
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
}
