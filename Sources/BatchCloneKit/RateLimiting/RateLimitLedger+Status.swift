extension RateLimitLedger {
    /// Usage of one limit at an instant.
    public struct LimitStatus: Sendable, Equatable {
        public var limit: RateLimit
        /// Sends inside the current window (widened by the margin).
        public var used: Int
        /// Sends this limit still allows right now.
        public var remaining: Int { max(0, limit.count - used) }
        /// When the next slot of this limit frees, on the ledger's clock; `now` when one is free already.
        public var nextFree: LedgerInstant
    }

    /// Per-limit usage at `now`.
    public func status(now: LedgerInstant) -> [LimitStatus] {
        status(now: now.epochMilliseconds)
    }

    /// The send times of `count` more clones at the fastest pace allowed, starting at `now`; it does not change this ledger.
    public func projectedSends(count: Int, now: LedgerInstant) -> [LedgerInstant] {
        projectedSends(count: count, now: now.epochMilliseconds).map(LedgerInstant.init(epochMilliseconds:))
    }

    /// Per-limit usage at `now` (epoch ms of the ledger's clock).
    func status(now: Int64) -> [LimitStatus] {
        // The sends are sorted: those in a window are a suffix, found by binary search, not a scan.
        let sends = log.sends
        return limits.map { effective in
            let used = sends.count - sends.sortedIndex(after: now - effective.span)
            let count = effective.limit.count
            let nextFree = used < count ? now : sends[sends.count - count] + effective.span
            return LimitStatus(
                limit: effective.limit,
                used: used,
                nextFree: LedgerInstant(epochMilliseconds: max(now, nextFree))
            )
        }
    }

    /// The send times of `count` more clones at the fastest pace allowed, starting at `now`.
    ///
    /// Used by plans and ETAs; it does not change this ledger.
    func projectedSends(count: Int, now: Int64) -> [Int64] {
        var copy = self
        var times: [Int64] = []
        times.reserveCapacity(count)
        var cursor = now
        let longest = (limits.map(\.limit.count).max() ?? 1).multipliedReportingOverflow(by: 4)
        let pruneAbove = longest.overflow ? Int.max : longest.partialValue
        for _ in 0..<count {
            cursor = copy.earliestSend(now: cursor)
            copy.log.append(cursor)
            // Keep the projection's memory bounded by the longest window, not by the batch.
            if copy.log.sends.count > pruneAbove {
                copy.prune(now: cursor)
            }
            times.append(cursor)
        }
        return times
    }
}
