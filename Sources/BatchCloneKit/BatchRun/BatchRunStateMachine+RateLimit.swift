import DurationFormat

/// A 429: which configured window it names, and a block no longer than the knowledge requires.
///
/// The server's `payload.interval` (MIN, HOUR, DAY) maps to a configured limit: the limits are what
/// the user declared, and a 429 that the ledger did not foresee means clones it could not see. The
/// run lists the account's clones at once and blocks the shared ledger until what is known (ledger and
/// listing, merged) leaves a slot in that window. Refused again there, the server counts clones nobody
/// can see: the run probes with growing spacing (window/64 doubling up to window/4), one request per
/// probe, each block kept in the shared ledger so that every process on the account waits for it.
extension BatchRunStateMachine {
    /// The window a 429's `payload.interval` names: `MIN` the shortest configured one, `DAY` the
    /// longest, `HOUR` one strictly between them (the nearest to an hour) or else a literal hour;
    /// an unknown or absent name the shortest.
    func mappedWindow(of interval: String?) -> RateLimitEpisode.Window {
        let sorted = policy.limits.sorted { $0.limit.window < $1.limit.window }
        guard let shortest = sorted.first, let longest = sorted.last else {
            return RateLimitEpisode.Window(limit: nil, length: interval == "DAY" ? 86_400_000 : 60_000)
        }
        func window(_ limit: RateLimitLedger.EffectiveLimit) -> RateLimitEpisode.Window {
            RateLimitEpisode.Window(limit: limit, length: limit.limit.window.millisecondsRoundedUp)
        }
        switch interval {
        case "DAY":
            return window(longest)
        case "HOUR":
            let hour: Int64 = 3_600_000
            let between = sorted.filter {
                $0.limit.window > shortest.limit.window && $0.limit.window < longest.limit.window
            }
            // Nearest to an hour on a log scale: with scaled limits the middle one stands for the hour.
            let nearest = between.min { a, b in
                let ratio = { (length: Int64) in
                    length > hour ? Double(length) / Double(hour) : Double(hour) / Double(length)
                }
                return ratio(a.limit.window.millisecondsRoundedUp) < ratio(b.limit.window.millisecondsRoundedUp)
            }
            return nearest.map(window) ?? RateLimitEpisode.Window(limit: nil, length: hour)
        default:
            return window(shortest)
        }
    }

    /// A 429 answered the clone of `item`: block per `Retry-After`, or probe when a known slot was
    /// refused again, or first list the account and block from what it and the ledger know.
    mutating func rateLimited(
        _ item: WorkItem,
        interval: String?,
        retryAfter: Double?,
        now: Int64,
        into actions: inout [RunAction]
    ) {
        let window = mappedWindow(of: interval)
        // The same window refused again within a window of the last refusal: the same unseen clones.
        var episode =
            rateLimit.flatMap {
                $0.window == window && $0.block != nil && now - $0.lastRefusal < window.length ? $0 : nil
            }
            ?? RateLimitEpisode(
                item: item,
                interval: interval,
                window: window,
                refusals: 0,
                lastRefusal: now,
                phase: .listing
            )
        episode.refusals += 1
        episode.lastRefusal = now
        episode.interval = interval
        episode.item = item
        let reason: ServerBlock.Reason
        let wait: Int64
        if let retryAfter {
            reason = .retryAfter
            wait = min(Duration.seconds(retryAfter).millisecondsRoundedUp, window.length + 1000)
        } else if episode.refusals > 1 {
            let number = episode.refusals - 1
            wait = RateLimitEpisode.probeStep(number: number, window: window.length)
            reason = .probe(number: number, step: .milliseconds(wait))
        } else {
            episode.phase = .listing
            rateLimit = episode
            // Without the account view the ledger alone is what is known.
            if !configuration.accountView { actions.append(.readLedger) }
            return
        }
        let block = episode.block(until: now + wait, reason: reason)
        episode.phase = .blocked(block)
        rateLimit = episode
        actions.append(.blockLedger(until: block.until.epochMilliseconds))
        actions.append(.emit(.rateLimited(item: item, block: block)))
    }

    /// Whether a 429 waits for the account's clones to be listed before its block is set.
    var listingAfterRateLimit: Bool {
        rateLimit?.phase == .listing
    }

    /// The shared ledger as it stands after the listing (its own clock `ledgerNow`): block until it
    /// leaves a slot in the 429's window.
    mutating func ledgerRead(_ log: SendLog, ledgerNow: Int64, now: Int64) -> [RunAction] {
        guard var episode = rateLimit, episode.phase == .listing else { return [] }
        var earliest = ledgerNow
        if let limit = episode.window.limit, log.sends.count >= limit.limit.count {
            earliest = max(earliest, log.sends[log.sends.count - limit.limit.count] + limit.span)
        }
        let block = episode.block(until: now + (earliest - ledgerNow), reason: .known)
        episode.phase = .blocked(block)
        rateLimit = episode
        var actions: [RunAction] = []
        if block.until.epochMilliseconds > now { actions.append(.blockLedger(until: block.until.epochMilliseconds)) }
        actions.append(.emit(.rateLimited(item: episode.item, block: block)))
        return actions
    }

    /// The ledger could not be read after a 429: block for the probe step, erring later.
    mutating func ledgerUnreadable(now: Int64) -> [RunAction] {
        guard var episode = rateLimit, episode.phase == .listing else { return [] }
        let step = RateLimitEpisode.probeStep(number: 1, window: episode.window.length)
        let block = episode.block(until: now + step, reason: .probe(number: 1, step: .milliseconds(step)))
        episode.phase = .blocked(block)
        rateLimit = episode
        return [
            .blockLedger(until: block.until.epochMilliseconds), .emit(.rateLimited(item: episode.item, block: block)),
        ]
    }
}

extension RateLimitEpisode {
    func block(until: Int64, reason: ServerBlock.Reason) -> ServerBlock {
        ServerBlock(
            interval: interval,
            limit: window.limit?.limit,
            window: .milliseconds(window.length),
            until: until,
            reason: reason
        )
    }
}
