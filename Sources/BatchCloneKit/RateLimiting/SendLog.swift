/// The persisted part of the ledger: the clones counted inside the retention horizon.
///
/// Times are epoch milliseconds, ascending. `blockedUntil` records usage we did not see
/// (a 429 from the server) as "no send before this instant". `retention` is the longest span any
/// run on this log has declared, so a run with short limits never drops sends another run still counts.
///
/// The count errs only upward. At any instant, for every limit and window, `sends` counts at least
/// as many clones as the server accepted in it that the ledger could know of (own sends, and what
/// listings showed), each at the latest time known for it. An entry is dropped only as a double count
/// proven by an operation ID: an own send's answer (or its reconciliation) naming an operation that is
/// counted already. A listing never takes an own send's place; a link the send's own answer later
/// contradicts is undone. Excess (a lost answer's clone listed beside its send) vanishes once answers settle.
public struct SendLog: Sendable, Equatable {
    /// Recorded send times, epoch milliseconds, ascending: own sends, linked or not, and listed clones.
    var sends: [Int64]
    /// No send may happen before this instant (epoch milliseconds), if set.
    var blockedUntil: Int64?
    /// The longest retention (milliseconds, whole seconds) any run on this log has declared, if any.
    var retention: Int64?
    /// The clone operation behind a send, by ID, with the send time it accounts for: own sends once
    /// their POST was answered (or reconciled), and clones made elsewhere that the account listed.
    var operations: OperationTimes
    /// Own sends not linked to an operation yet, ascending; each accounts for one send at its intent.
    /// Sends that neither an operation nor a pending entry accounts for come from older versions.
    public internal(set) var pending: [OwnSend]
    /// The own send each answered operation was linked to, so that a contradicting answer can undo it.
    public internal(set) var links: [String: OwnSend]
    /// What the mutations below changed since a store began recording; not part of the log's value.
    var recording = ChangeRecording()

    /// An empty log.
    public init() {
        self.init(sends: [])
    }

    /// A log holding `sendInstants` (sorted here) and, if given, a block until `blockedUntilInstant`.
    public init(sendInstants: [LedgerInstant], blockedUntilInstant: LedgerInstant? = nil) {
        self.init(sends: sendInstants.map(\.epochMilliseconds), blockedUntil: blockedUntilInstant?.epochMilliseconds)
    }

    /// Creates a log in epoch milliseconds of the ledger's clock; `sends` are sorted so that a
    /// hand-edited file cannot break the invariant.
    init(
        sends: [Int64] = [],
        blockedUntil: Int64? = nil,
        retention: Int64? = nil,
        operations: [String: Int64] = [:],
        pending: [OwnSend] = [],
        links: [String: OwnSend] = [:]
    ) {
        self.sends = sends.sorted()
        self.blockedUntil = blockedUntil
        self.retention = retention
        self.operations = OperationTimes(operations)
        self.pending = pending.sorted()
        self.links = links
    }

    /// The newest recorded send, if any.
    var newest: Int64? { sends.last }

    /// Records a send at `time` whose source is not known (projections, and logs of older versions).
    mutating func append(_ time: Int64) {
        precondition(time >= (sends.last ?? time), "sends are recorded in time order")
        sends.append(time)
        recording.sendAdded(time)
    }

    /// Records an own send at its intent, pending until its operation is known.
    mutating func append(_ send: OwnSend) {
        append(send.intentMilliseconds)
        addPending(send)
    }

    mutating func block(until time: Int64) {
        setBlock(max(blockedUntil ?? time, time))
    }

    /// Remembers that some run keeps sends for `span` milliseconds; rounded up to a whole second
    /// so the file can store it exactly. The remembered value only ever grows.
    mutating func declare(retention span: Int64) {
        guard span > 0 else { return }
        let seconds = span / 1000 + (span % 1000 == 0 ? 0 : 1)
        let rounded = seconds.multipliedReportingOverflow(by: 1000)
        let value = rounded.overflow ? Int64.max : rounded.partialValue
        let longest = max(retention ?? 0, value)
        if longest != retention {
            recording.retentionWillChange(from: retention)
            retention = longest
        }
    }

    /// Drops what can no longer constrain a send at or after `now`, for this caller's `retention`
    /// or the longest one declared on the log, whichever is longer.
    mutating func prune(now: Int64, retention: Int64) {
        let kept = max(retention, self.retention ?? 0)
        let difference = now.subtractingReportingOverflow(kept)
        let cutoff = difference.overflow ? Int64.min : difference.partialValue
        let dropped: Bool
        if let first = sends.firstIndex(where: { $0 > cutoff }) {
            dropped = first > 0
            if dropped {
                for time in sends[..<first] { recording.sendRemoved(time) }
                sends.removeFirst(first)
            }
        } else {
            dropped = !sends.isEmpty
            for time in sends { recording.sendRemoved(time) }
            sends.removeAll()
        }
        if let blocked = blockedUntil, blocked <= now { setBlock(nil) }
        // Operation times and pending intents are times of sends: when no send was old enough to
        // drop, none of theirs is, and an update skips three passes over everything kept.
        guard dropped else { return }
        let droppedOperations = operations.removeAll(atOrBefore: cutoff)
        for operation in droppedOperations { recording.operationWillChange(operation.id, from: operation.time) }
        // Pending sends are sorted by intent first: the stale ones lead.
        let stale = pending.prefix { $0.intentMilliseconds <= cutoff }.count
        for send in pending[..<stale] { recording.pendingRemoved(send) }
        pending.removeFirst(stale)
        for operation in droppedOperations where links[operation.id] != nil { setLink(operation.id, nil) }
        if links.count > operations.count {
            // Only a file edited by hand links an operation the log does not count: drop every such link.
            for (id, send) in links where operations[id] == nil { recording.linkWillChange(id, from: send) }
            links = links.filter { operations[$0.key] != nil }
        }
    }

    /// Inserts a send at `time`, keeping the sends sorted (a send learned late may lie in the past).
    mutating func insert(_ time: Int64) {
        sends.insert(time, at: sends.sortedIndex(after: time))
        recording.sendAdded(time)
    }

    /// Removes one send at `time`, if there is one.
    mutating func removeSend(at time: Int64) {
        guard let index = sends.sortedLastIndex(of: time) else { return }
        sends.remove(at: index)
        recording.sendRemoved(time)
    }

    mutating func addPending(_ send: OwnSend) {
        pending.insert(send, at: pending.sortedIndex(after: send))
        recording.pendingAdded(send)
    }

    /// Removes `send` from the pending sends; false when it is not pending.
    mutating func removePending(_ send: OwnSend) -> Bool {
        guard let index = pending.sortedLastIndex(of: send) else { return false }
        pending.remove(at: index)
        recording.pendingRemoved(send)
        return true
    }

    /// Sets (or, with nil, removes) the send time `id` accounts for.
    mutating func setOperation(_ id: String, _ time: Int64?) {
        recording.operationWillChange(id, from: operations[id])
        operations[id] = time
    }

    /// Links `id` to an own send, or unlinks it (nil).
    mutating func setLink(_ id: String, _ send: OwnSend?) {
        recording.linkWillChange(id, from: links[id])
        links[id] = send
    }

    private mutating func setBlock(_ time: Int64?) {
        guard time != blockedUntil else { return }
        recording.blockWillChange(from: blockedUntil)
        blockedUntil = time
    }

    /// Starts recording what the mutations change, for `takeRecordedChange()`; returns the
    /// recording's session, which a log assigned in this one's place does not carry.
    @discardableResult
    mutating func startRecording() -> UInt64 {
        recording = .start()
        return recording.session
    }

    /// The same log, recording nothing: for a copy that leaves a store's update.
    var unrecorded: SendLog {
        var log = self
        log.recording = ChangeRecording()
        return log
    }

    /// What the mutations changed since `startRecording()`, and stops recording.
    mutating func takeRecordedChange() -> LedgerChange {
        let change = recording.change(to: self)
        recording = ChangeRecording()
        return change
    }
}

/// The public view on the ledger's clock; the storage above stays in epoch milliseconds.
extension SendLog {
    /// Recorded send times, ascending: own sends, linked or not, and listed clones.
    public var sendInstants: [LedgerInstant] { sends.map(LedgerInstant.init(epochMilliseconds:)) }
    /// No send may happen before this instant, if set.
    public var blockedUntilInstant: LedgerInstant? { blockedUntil.map(LedgerInstant.init(epochMilliseconds:)) }
    /// The send time each known clone operation accounts for, by operation ID.
    public var operationInstants: [String: LedgerInstant] {
        operations.byID.mapValues(LedgerInstant.init(epochMilliseconds:))
    }
}
