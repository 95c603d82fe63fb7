/// A store whose log is read and written whole under its lock decides each slot inside `update`.
extension SlotLedger where Self: LedgerStore {
    public func takeSlot(_ policy: RateLimitPolicy, source: String, now: LocalInstant) throws -> SlotDecision {
        try update { log in
            var ledger = RateLimitLedger(policy: policy)
            // Swapped, not copied: the log keeps one owner and changes in place, recording and all.
            swap(&ledger.log, &log)
            let decision = ledger.decideSlot(
                now: LedgerInstant.sameClock(now).epochMilliseconds,
                source: source,
                target: ledgerLog.name
            )
            swap(&ledger.log, &log)
            return decision
        }
    }

    public func block(for duration: Duration, now: LocalInstant) throws {
        try update { $0.block(until: now.epochMilliseconds + duration.millisecondsRoundedUp) }
    }

    public func snapshot(now: LocalInstant) throws -> (log: SendLog, now: LedgerInstant) {
        (try read(), .sameClock(now))
    }

    /// The log is on this machine: a waiting run can sleep until its slot.
    public var heartbeat: Duration? { nil }

    public func attach(operationID: String, send: OwnSend, arrival: LocalInstant?, now: LocalInstant) throws {
        // Our clock's arrival stored as the log's time: the same clock for a store on this machine.
        try update { $0.attach(operationID: operationID, send: send, arrival: arrival?.epochMilliseconds) }
    }

    public func merge(_ clones: [AccountClone], now: LocalInstant) throws -> Int {
        // Another target's clones are limited apart: they are not this log's to count.
        let own = clones.filter { $0.target == ledgerLog.name }
        return try update { $0.merge(own) }
    }
}
