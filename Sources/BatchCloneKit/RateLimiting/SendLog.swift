/// The persisted part of the ledger: the send times still inside the retention horizon.
///
/// Times are epoch milliseconds, ascending. `blockedUntil` records usage we did not see
/// (a 429 from the server) as "no send before this instant". `retention` is the longest span any
/// run on this log has declared, so a run with short limits never drops sends another run still counts.
public struct SendLog: Sendable, Equatable {
    /// Recorded send times, epoch milliseconds, ascending.
    public internal(set) var sends: [Int64]
    /// No send may happen before this instant (epoch milliseconds), if set.
    public internal(set) var blockedUntil: Int64?
    /// The longest retention (milliseconds, whole seconds) any run on this log has declared, if any.
    public internal(set) var retention: Int64?
    /// The clone operation behind a send, by ID, with the send time it accounts for: own sends once
    /// their POST was answered (or reconciled), and clones made elsewhere that the account listed.
    public internal(set) var operations: [String: Int64]

    /// Creates a log; `sends` are sorted so that a hand-edited file cannot break the invariant.
    public init(
        sends: [Int64] = [],
        blockedUntil: Int64? = nil,
        retention: Int64? = nil,
        operations: [String: Int64] = [:]
    ) {
        self.sends = sends.sorted()
        self.blockedUntil = blockedUntil
        self.retention = retention
        self.operations = operations
    }

    /// The newest recorded send, if any.
    var newest: Int64? { sends.last }

    mutating func append(_ time: Int64) {
        precondition(time >= (sends.last ?? time), "sends are recorded in time order")
        sends.append(time)
    }

    mutating func block(until time: Int64) {
        blockedUntil = max(blockedUntil ?? time, time)
    }

    /// Remembers that some run keeps sends for `span` milliseconds; rounded up to a whole second
    /// so the file can store it exactly. The remembered value only ever grows.
    mutating func declare(retention span: Int64) {
        guard span > 0 else { return }
        let seconds = span / 1000 + (span % 1000 == 0 ? 0 : 1)
        let rounded = seconds.multipliedReportingOverflow(by: 1000)
        let value = rounded.overflow ? Int64.max : rounded.partialValue
        retention = max(retention ?? 0, value)
    }

    /// Drops what can no longer constrain a send at or after `now`, for this caller's `retention`
    /// or the longest one declared on the log, whichever is longer.
    mutating func prune(now: Int64, retention: Int64) {
        let kept = max(retention, self.retention ?? 0)
        let difference = now.subtractingReportingOverflow(kept)
        let cutoff = difference.overflow ? Int64.min : difference.partialValue
        if let first = sends.firstIndex(where: { $0 > cutoff }) {
            if first > 0 { sends.removeFirst(first) }
        } else {
            sends.removeAll()
        }
        if let blocked = blockedUntil, blocked <= now { blockedUntil = nil }
        operations = operations.filter { $0.value > cutoff }
    }

    /// Inserts a send at `time`, keeping the sends sorted (a send learned late may lie in the past).
    mutating func insert(_ time: Int64) {
        var low = 0
        var high = sends.count
        while low < high {
            let middle = (low + high) / 2
            if sends[middle] <= time { low = middle + 1 } else { high = middle }
        }
        sends.insert(time, at: low)
    }

    /// Links the own send recorded at `intent` to its operation, moved to `arrival` when that is
    /// later: the server's windows run on its own arrival times.
    ///
    /// When the operation is already counted (merged from the account's list while its answer was
    /// lost), an unlinked send at `intent` is the same clone counted twice: it is dropped.
    mutating func attach(operationID: String, intent: Int64, arrival: Int64?) {
        guard unlinkedCount(at: intent) > 0, let index = sends.lastIndex(of: intent) else { return }
        sends.remove(at: index)
        if operations[operationID] != nil { return }
        let time = max(intent, arrival ?? intent)
        insert(time)
        operations[operationID] = time
    }

    /// Sends at `time` that no operation accounts for.
    private func unlinkedCount(at time: Int64) -> Int {
        sends.count { $0 == time } - operations.values.count { $0 == time }
    }

    /// Counts the account's clones that this log does not know (by operation ID); returns how many
    /// were made elsewhere.
    ///
    /// An unknown clone first claims an own send not linked to an operation yet, recorded at most
    /// `claimBefore` before it and `claimAfter` after it (a send whose answer was lost, or one from a
    /// state file older than operation IDs): that send was this clone, and counting both would wait
    /// for quota the server never spent. Only the rest are sends made elsewhere.
    @discardableResult
    public mutating func merge(_ clones: [AccountClone], claimBefore: Int64 = 0, claimAfter: Int64 = 0) -> Int {
        var linked: [Int64: Int] = [:]
        for time in operations.values { linked[time, default: 0] += 1 }
        var unlinked: [Int64] = []
        for time in sends {
            if let count = linked[time], count > 0 { linked[time] = count - 1 } else { unlinked.append(time) }
        }
        var foreign = 0
        for clone in clones.sorted(by: { ($0.time, $0.operationID) < ($1.time, $1.operationID) })
        where operations[clone.operationID] == nil {
            // The latest unlinked send that may have become this clone.
            if let index = unlinked.lastIndex(where: { $0 <= clone.time + claimAfter && $0 >= clone.time - claimBefore }
            ) {
                // Moved to where the server saw it, when later: a stall before the POST left counts.
                let claimed = unlinked.remove(at: index)
                let time = max(claimed, clone.time)
                if time != claimed, let position = sends.lastIndex(of: claimed) {
                    sends.remove(at: position)
                    insert(time)
                }
                operations[clone.operationID] = time
                continue
            }
            insert(clone.time)
            operations[clone.operationID] = clone.time
            foreign += 1
        }
        return foreign
    }
}
