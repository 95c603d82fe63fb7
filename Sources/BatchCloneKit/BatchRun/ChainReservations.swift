/// Slots held back for the next copies of a source whose clone is out, when taking them would make
/// the batch end later: a chain of copies goes one link at a time, and at each window other sources
/// would otherwise take every slot, so each next copy waited up to a window.
///
/// A model of this run's own grants only: sends of other processes it does not see make it hold back
/// less, never more, and the ledger still decides every send. A reservation is for the copy's
/// expected ready time (its previous clone's send plus the link time learned from this run's
/// clones) and lapses a grace after it (before any clone was seen done, after the shortest window),
/// so a wrong estimate costs a bounded delay.
struct ChainReservations: Sendable, Equatable {
    /// A source whose clone is out and whose further copies wait for it.
    struct Chain: Sendable, Equatable {
        var target: CloneTarget
        var source: String
        /// Copies of the source still to send.
        var copies: Int
    }

    private struct SourceKey: Hashable, Sendable {
        var target: CloneTarget
        var source: String
    }

    /// The link time assumed before any clone of this run was seen done (ms).
    let defaultLink: Int64
    /// How long after its expected ready time a reservation still holds (ms).
    let grace: Int64
    /// Between two looks while holding back (ms).
    let recheck: Int64
    /// This run's grants within the longest span, in order.
    private(set) var sends: [Int64] = []
    /// The grant of each source's latest clone not yet seen done.
    private var sentAt: [SourceKey: Int64] = [:]
    /// The latest links seen (grant to seen done), at most `linkSamples`.
    private var links: [Int64] = []
    private static let linkSamples = 8
    /// Copies of one chain looked ahead at: enough to cover a window several times over.
    private static let lookahead = 32

    /// Reservations for a run polling every `pollInterval`, assuming links of `defaultLink` until a
    /// clone is seen done.
    init(pollInterval: Int64, defaultLink: Int64) {
        self.defaultLink = max(1, defaultLink)
        grace = max(1, pollInterval)
        // Often enough that a copy released by a poll waits little for the send loop.
        recheck = max(5, min(20, pollInterval / 10))
    }

    /// The expected time from a clone's send to its being seen done: the mean of the latest seen.
    var link: Int64 { links.isEmpty ? defaultLink : max(1, links.reduce(0, +) / Int64(links.count)) }

    /// The ledger granted the clone of `item` at `at`.
    mutating func granted(_ item: WorkItem, at: Int64, policy: RateLimitPolicy) {
        sentAt[SourceKey(target: item.target, source: item.source)] = at
        sends.append(max(at, sends.last ?? at))
        let horizon = policy.limits.map(\.span).max() ?? 0
        let keep = sends.firstIndex { $0 + horizon > at } ?? sends.count
        let longest = policy.limits.map(\.limit.count).max() ?? 0
        // Only the last `longest` sends can decide a slot.
        sends.removeFirst(max(keep, sends.count - longest, 0))
    }

    /// The clone of `item` was seen done at `now`: one more link learned.
    mutating func cloneDone(_ item: WorkItem, now: Int64) {
        guard let at = sentAt.removeValue(forKey: SourceKey(target: item.target, source: item.source)) else { return }
        links.append(max(0, now - at))
        if links.count > Self.linkSamples { links.removeFirst() }
    }

    /// The clone of `item` ended otherwise (failed, lost): no link to learn from it.
    mutating func cloneOver(_ item: WorkItem) {
        sentAt.removeValue(forKey: SourceKey(target: item.target, source: item.source))
    }

    /// Until when to hold back the send of another item at `now`, with `toSend` items left (that
    /// one and the copies included), and for which chain; nil to send it.
    ///
    /// Holds when sending it would delay a chain's next copies so that the chain ends after both the
    /// instant the rate limits alone allow for everything left and its end without that send.
    func hold(now: Int64, toSend: Int, chains: [Chain], policy: RateLimitPolicy) -> (until: Int64, chain: Chain)? {
        guard !chains.isEmpty, !policy.limits.isEmpty else { return nil }
        let rateEnd = rateEnd(now: now, toSend: toSend, policy: policy)
        for chain in chains where chain.copies > 0 {
            guard let sent = sentAt[SourceKey(target: chain.target, source: chain.source)] else { continue }
            // Before any clone was seen done the link is a guess: hold for at most the shortest window.
            let shortest = policy.limits.map(\.span).min() ?? 0
            let lapse = sent + (links.isEmpty ? max(link + grace, shortest) : link + grace)
            guard now < lapse else { continue }
            let without = chainEnd(now: now, sent: sent, copies: chain.copies, extra: false, policy: policy)
            let with = chainEnd(now: now, sent: sent, copies: chain.copies, extra: true, policy: policy)
            if with > max(rateEnd, without) { return (min(lapse, now + recheck), chain) }
        }
        return nil
    }

    /// When the rate limits alone let the last of `toSend` sends go, from this run's grants.
    func rateEnd(now: Int64, toSend: Int, policy: RateLimitPolicy) -> Int64 {
        var end = now
        for limit in policy.limits {
            let inWindow = sends.filter { $0 + limit.span > now }
            let base = inWindow.first ?? now
            let windows = Int64((inWindow.count + toSend - 1) / limit.limit.count)
            end = max(end, base + windows * limit.span)
        }
        return end
    }

    /// When the chain's last copy goes, its copies each sent at the earliest slot after the previous
    /// one's link, with one other send first when `extra`.
    private func chainEnd(now: Int64, sent: Int64, copies: Int, extra: Bool, policy: RateLimitPolicy) -> Int64 {
        var placed = sends
        if extra { placed.append(earliest(now, after: placed, policy: policy)) }
        var ready = max(now, sent + link)
        var last = ready
        let looked = min(copies, Self.lookahead)
        for _ in 0..<looked {
            last = earliest(ready, after: placed, policy: policy)
            placed.append(last)
            ready = last + link
        }
        return last + Int64(copies - looked) * link
    }

    /// The earliest instant at or after `time` when one more send after `placed` keeps every limit.
    private func earliest(_ time: Int64, after placed: [Int64], policy: RateLimitPolicy) -> Int64 {
        var earliest = max(time, placed.last ?? time)
        for limit in policy.limits where placed.count >= limit.limit.count {
            earliest = max(earliest, placed[placed.count - limit.limit.count] + limit.span)
        }
        return earliest
    }
}
