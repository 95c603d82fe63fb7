import Foundation

/// What a run would do, computed from the CSV, the journal and the ledger without any network.
public struct BatchPlan: Sendable, Equatable {
    /// Work items of the CSV: one clone per copy of each source.
    public var total: Int
    /// Distinct sources in the CSV.
    public var sources: Int
    public var alreadyDone: Int
    public var alreadyFailed: Int
    /// Pools with a clone on the server whose result is not known yet.
    public var inProgress: Int
    /// Pools still to clone.
    public var toClone: Int
    /// Of those, how many the limits allow right now.
    public var fitNow: Int
    /// When the last of them can be sent, if any.
    public var lastSend: LocalInstant?
    /// Sends per UTC day: (day start, count).
    public var perDay: [(day: LocalInstant, count: Int)]

    public static func == (lhs: BatchPlan, rhs: BatchPlan) -> Bool {
        lhs.total == rhs.total && lhs.sources == rhs.sources && lhs.alreadyDone == rhs.alreadyDone
            && lhs.alreadyFailed == rhs.alreadyFailed
            && lhs.inProgress == rhs.inProgress && lhs.toClone == rhs.toClone && lhs.fitNow == rhs.fitNow
            && lhs.lastSend == rhs.lastSend && lhs.perDay.elementsEqual(rhs.perDay, by: { $0 == $1 })
    }

    /// The plan for one clone of each of `pools`; see `init(list:state:ledger:retryFailed:now:)`.
    public init(
        pools: [String],
        state: JournalState?,
        ledger: RateLimitLedger,
        retryFailed: Bool,
        now instant: LocalInstant
    ) {
        self.init(list: PoolList(poolIDs: pools), state: state, ledger: ledger, retryFailed: retryFailed, now: instant)
    }

    /// The plan for the work items of `list` given the journal `state`, the `ledger` and the time
    /// `now`; the ledger's times are read as ours (one clock for a file ledger).
    public init(
        list: PoolList,
        state: JournalState?,
        ledger: RateLimitLedger,
        retryFailed: Bool,
        now instant: LocalInstant
    ) {
        let now = instant.epochMilliseconds
        sources = list.poolIDs.count
        var total = 0
        var alreadyDone = 0
        var alreadyFailed = 0
        var inProgress = 0
        var toClone = 0
        list.forEachItem { item in
            total += 1
            switch state?[item.journalKey]?.phase ?? .pending {
            case .done: alreadyDone += 1
            case .failed: if retryFailed { toClone += 1 } else { alreadyFailed += 1 }
            case .sending, .submitted: inProgress += 1
            case .pending: toClone += 1
            }
        }
        self.total = total
        self.alreadyDone = alreadyDone
        self.alreadyFailed = alreadyFailed
        self.inProgress = inProgress
        self.toClone = toClone
        var ledger = ledger
        ledger.prune(now: now)
        let times = ledger.projectedSends(count: toClone, now: now)
        fitNow = times.prefix { $0 <= now }.count
        lastSend = times.last.map(LocalInstant.init(epochMilliseconds:))
        var days: [(day: LocalInstant, count: Int)] = []
        for time in times {
            let day = LocalInstant(epochMilliseconds: time - ((time % 86_400_000) + 86_400_000) % 86_400_000)
            if days.last?.day == day { days[days.count - 1].count += 1 } else { days.append((day, 1)) }
        }
        perDay = days
    }
}
