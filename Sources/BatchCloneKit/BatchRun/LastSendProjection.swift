/// The live ETA (when the last remaining clone can be sent) kept up to date in amortised
/// O(limits) per slot answer, where projecting every remaining send anew costs O(remaining).
///
/// Future sends form a max-plus system: each is no earlier than the one before and than the send
/// N earlier plus the span, for each limit N/span. So one more own send at `a`, with `r` left,
/// moves the last one to `max(last, a + longest[r - 1])`, and time reaching `now` moves it to
/// `max(last, now + longest[r - 1])`, where `longest[j]` is the most span j sends after one can
/// chain (`longest`). A send made at its projected time leaves the ETA unchanged. A full projection
/// runs when more is left to send than projected (requeued items), when the block changed, and
/// otherwise at most once per eighth of what is left, to take in what others changed in the log.
struct LastSendProjection: Sendable, Equatable {
    /// Sends left to make when last updated, and the instant the last of them can be made.
    private(set) var remaining = 0
    private(set) var lastSend: Int64?
    /// The block the projection saw; a new one projects again.
    private var blockedUntil: Int64?
    /// Updates since the last full projection.
    private var updatesSinceProjection = 0
    private var projected = false
    /// `longest[j]`: the most span a chain of limits fits in j sends (unbounded knapsack).
    private var longest: [Int64] = [0]

    /// The instant the last of `toSend` sends can be made, given the ledger after its latest
    /// decision at `now`, and `grantedAt`, the instant of the own send that decision granted, if any.
    mutating func update(_ ledger: RateLimitLedger, now: Int64, toSend: Int, grantedAt: Int64?) -> Int64? {
        let expected = remaining - (grantedAt == nil ? 0 : 1)
        if !projected || toSend > expected || ledger.log.blockedUntil != blockedUntil
            || updatesSinceProjection >= max(16, toSend / 8)
        {
            project(ledger, now: now, toSend: toSend)
            return lastSend
        }
        updatesSinceProjection += 1
        // Fewer left than the sends explain (items failed before their send): the last send can
        // only come earlier; keep the later instant until the next projection.
        if let grantedAt, let last = lastSend, remaining > 0 {
            lastSend = max(last, grantedAt + span(after: remaining - 1, ledger))
        }
        remaining = toSend
        guard toSend > 0 else {
            lastSend = nil
            return nil
        }
        if let last = lastSend { lastSend = max(last, now + span(after: toSend - 1, ledger)) }
        return lastSend
    }

    private mutating func project(_ ledger: RateLimitLedger, now: Int64, toSend: Int) {
        remaining = toSend
        blockedUntil = ledger.log.blockedUntil
        updatesSinceProjection = 0
        projected = true
        lastSend = toSend > 0 ? ledger.projectedSends(count: toSend, now: now).last : nil
    }

    /// The most span a chain of limits fits in `steps` sends after one, grown as needed.
    private mutating func span(after steps: Int, _ ledger: RateLimitLedger) -> Int64 {
        while longest.count <= steps {
            let j = longest.count
            var best = longest[j - 1]
            for limit in ledger.limits where limit.limit.count <= j {
                best = max(best, longest[j - limit.limit.count] + limit.span)
            }
            longest.append(best)
        }
        return longest[steps]
    }
}
