/// A store whose log is read and written whole under its lock decides each slot inside `update`.
extension SlotLedger where Self: LedgerStore {
    public func takeSlot(_ ledger: RateLimitLedger, source: String, target: String, now: Int64) throws -> SlotDecision {
        try update { log in
            var ledger = ledger
            ledger.log = log
            let decision = ledger.decideSlot(now: now, source: source, target: target)
            log = ledger.log
            return decision
        }
    }

    public func block(for duration: Duration, now: Int64) throws {
        try update { $0.block(until: now + duration.millisecondsRoundedUp) }
    }

    public func snapshot(now: Int64) throws -> (log: SendLog, now: Int64) {
        (try read(), now)
    }

    /// The log is on this machine: a waiting run can sleep until its slot.
    public var heartbeat: Duration? { nil }

    public func attach(operationID: String, send: OwnSend, arrival: Int64?, now: Int64) throws {
        try update { $0.attach(operationID: operationID, send: send, arrival: arrival) }
    }

    public func merge(_ clones: [AccountClone], now: Int64) throws -> Int {
        try update { $0.merge(clones) }
    }
}
