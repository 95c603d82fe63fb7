/// Linking own sends to their operations and counting the account's clones, so that the count errs
/// only upward (see `SendLog`).
extension SendLog {
    /// Links the own send `send` to its operation, moved to `arrival` when that is later: the
    /// server's windows run on its own arrival times.
    ///
    /// When the operation is counted already (listed while the answer was on its way or lost), the
    /// send is the same clone counted twice: it is dropped and the operation keeps the later time.
    /// When the operation was linked to another own send, or another operation to this send, that
    /// link was a guess this answer contradicts: it is undone, and the other send counts again.
    /// A send of an older version (no source) is linked only to an operation not counted yet.
    mutating func attach(operationID: String, send: OwnSend, arrival: Int64?) {
        let answered = max(send.intentMilliseconds, arrival ?? send.intentMilliseconds)
        if links[operationID] == send {
            if let time = operations[operationID], answered > time { moveOperation(operationID, to: answered) }
            return
        }
        var pendingFound = removePending(send)
        if !pendingFound, let other = links.first(where: { $0.value == send })?.key {
            // Another operation was taken for this send (a reconciliation's guess): that one stays
            // counted on its own, and this send counts again until linked below.
            setLink(other, nil)
            insert(send.intentMilliseconds)
            pendingFound = true
        }
        guard pendingFound else {
            linkLegacySend(operationID: operationID, send: send, answered: answered)
            return
        }
        if let time = operations[operationID] {
            if let previous = links[operationID] {
                // The operation had been linked to another own send: that send counts again, pending.
                insert(previous.intentMilliseconds)
                addPending(previous)
            }
            removeSend(at: send.intentMilliseconds)
            setLink(operationID, send)
            moveOperation(operationID, to: max(time, answered))
        } else {
            removeSend(at: send.intentMilliseconds)
            insert(answered)
            setOperation(operationID, answered)
            setLink(operationID, send)
        }
    }

    /// A send at the intent that nothing accounts for (a state file of an older version) becomes the
    /// operation when that is not counted yet; it is never dropped as a double count.
    private mutating func linkLegacySend(operationID: String, send: OwnSend, answered: Int64) {
        guard operations[operationID] == nil, unaccountedCount(at: send.intentMilliseconds) > 0 else { return }
        removeSend(at: send.intentMilliseconds)
        insert(answered)
        setOperation(operationID, answered)
    }

    /// Sends at `time` that neither an operation nor a pending own send accounts for.
    func unaccountedCount(at time: Int64) -> Int {
        sends.count { $0 == time } - operations.count(at: time)
            - pending.count { $0.intentMilliseconds == time }
    }

    private mutating func moveOperation(_ id: String, to time: Int64) {
        guard let old = operations[id], old != time else { return }
        removeSend(at: old)
        insert(time)
        setOperation(id, time)
    }

    /// Counts the account's clones that this log does not know (by operation ID); returns how many
    /// of them no pending own send of the same source may be (clones made elsewhere).
    ///
    /// Every unknown clone is counted, even one that is an own send whose answer is lost: which
    /// send a listed clone is can only be proven by the send's answer or reconciliation (`attach`),
    /// and a guess would drop a clone from the count while another batch clones the same source.
    @discardableResult
    public mutating func merge(_ clones: [AccountClone]) -> Int {
        var mayBeOwn: [String: Int] = [:]
        for send in pending { mayBeOwn[send.target + ":" + send.source, default: 0] += 1 }
        var foreign = 0
        for clone in clones.sorted(by: { ($0.time, $0.operationID) < ($1.time, $1.operationID) })
        where operations[clone.operationID] == nil {
            // Listed times are on our clock; the ledger keeps them as its own, as it always has.
            insert(clone.time.epochMilliseconds)
            setOperation(clone.operationID, clone.time.epochMilliseconds)
            if let key = clone.sourceKey, let count = mayBeOwn[key], count > 0 {
                mayBeOwn[key] = count - 1
            } else {
                foreign += 1
            }
        }
        return foreign
    }
}
