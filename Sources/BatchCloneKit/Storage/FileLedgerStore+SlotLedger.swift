extension FileLedgerStore: SlotLedger {
    public func takeSlot(_ ledger: RateLimitLedger, now: Int64) throws -> SlotDecision {
        try update { log in
            var ledger = ledger
            ledger.log = log
            ledger.prune(now: now)
            let granted = ledger.takeSlot(now: now)
            log = ledger.log
            return granted ? .granted(at: now) : .wait(.milliseconds(ledger.earliestSend(now: now) - now))
        }
    }

    public func block(for duration: Duration, now: Int64) throws {
        try update { $0.block(until: now + duration.millisecondsRoundedUp) }
    }

    public func snapshot(now: Int64) throws -> (log: SendLog, now: Int64) {
        (try peek(), now)
    }

    /// The file is on this machine: a waiting run can sleep until its slot.
    public var heartbeat: Duration? { nil }
}
