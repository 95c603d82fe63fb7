/// The persisted part of the ledger: the send times still inside the retention horizon.
///
/// Times are epoch milliseconds, ascending. `blockedUntil` records usage we did not see
/// (a 429 from the server) as "no send before this instant".
public struct SendLog: Sendable, Equatable {
    /// Recorded send times, epoch milliseconds, ascending.
    public internal(set) var sends: [Int64]
    /// No send may happen before this instant (epoch milliseconds), if set.
    public internal(set) var blockedUntil: Int64?

    /// Creates a log; `sends` are sorted so that a hand-edited file cannot break the invariant.
    public init(sends: [Int64] = [], blockedUntil: Int64? = nil) {
        self.sends = sends.sorted()
        self.blockedUntil = blockedUntil
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

    /// Drops what can no longer constrain a send at or after `now`.
    mutating func prune(now: Int64, retention: Int64) {
        let cutoff = now - retention
        if let first = sends.firstIndex(where: { $0 > cutoff }) {
            if first > 0 { sends.removeFirst(first) }
        } else {
            sends.removeAll()
        }
        if let blocked = blockedUntil, blocked <= now { blockedUntil = nil }
    }
}
