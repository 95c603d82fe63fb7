/// A shared send log that decides and records each send in one atomic step.
///
/// Unlike `LedgerStore.update`, the decision runs where the log lives, so a store with its own
/// clock (Redis `TIME`) keeps every machine on one timeline whatever their wall clocks say.
///
/// The contract every store keeps (the file, in-memory and Redis stores alike; a conformance suite
/// holds them to it): the count errs only upward. At any instant, for every limit and window, the log
/// counts at least as many clones as the server accepted in it that the ledger could know of (own
/// sends, and what listings showed), on the store's clock as it converts times (erring later); the
/// excess (a clone counted both as an own send and as a listed operation) vanishes once answers settle.
///
/// A store holds one log, `ledgerLog`: pool clones, training clones and overlap edits are limited
/// apart, so each has its own log, in the same file or Redis namespace.
public protocol SlotLedger: Sendable {
    /// Which log of the ledger this store reads and changes.
    var ledgerLog: LedgerLog { get }
    /// Grants a clone of `source` under `policy` if a slot is free: it is recorded at once as an own
    /// send pending its answer, for every run. Otherwise says how long until the earliest slot. A
    /// file store decides at `now` (its clock is ours); Redis on its own `TIME`.
    func takeSlot(_ policy: RateLimitPolicy, source: String, now: LocalInstant) throws -> SlotDecision
    /// Treats the windows as full for `duration` from the store's now (a 429 learned), for every run;
    /// a block only ever lengthens.
    func block(for duration: Duration, now: LocalInstant) throws
    /// The log and the store's current instant, for status and plans: `now` itself for a file store.
    func snapshot(now: LocalInstant) throws -> (log: SendLog, now: LedgerInstant)
    /// How long a waiting run may sleep before asking again (Redis: ~2 s, so a dead Redis is noticed within 5 s); nil = as long as needed.
    var heartbeat: Duration? { get }
    /// Links the own send `send` (granted at its intent, the store's clock) to its operation, moved to
    /// `arrival` (our clock, `now` too) when later. Drops an entry only as a double count the
    /// operation ID proves; undoes a link this answer contradicts. See `SendLog.attach`.
    func attach(operationID: String, send: OwnSend, arrival: LocalInstant?, now: LocalInstant) throws
    /// Counts every listed clone (times on our clock, `now` too) the ledger does not know by
    /// operation ID, never in an own send's place; returns how many no pending own send of the same
    /// source may be (made elsewhere). See `SendLog.merge`.
    func merge(_ clones: [AccountClone], now: LocalInstant) throws -> Int
}

/// Epoch milliseconds of our clock, for the tests and internal callers that still count in them.
extension SlotLedger {
    func takeSlot(_ policy: RateLimitPolicy, source: String, now: Int64) throws -> SlotDecision {
        try takeSlot(policy, source: source, now: LocalInstant(epochMilliseconds: now))
    }

    func block(for duration: Duration, now: Int64) throws {
        try block(for: duration, now: LocalInstant(epochMilliseconds: now))
    }

    func snapshot(now: Int64) throws -> (log: SendLog, now: Int64) {
        let (log, ledgerNow) = try snapshot(now: LocalInstant(epochMilliseconds: now))
        return (log, ledgerNow.epochMilliseconds)
    }

    func attach(operationID: String, send: OwnSend, arrival: Int64?, now: Int64) throws {
        try attach(
            operationID: operationID,
            send: send,
            arrival: arrival.map(LocalInstant.init(epochMilliseconds:)),
            now: LocalInstant(epochMilliseconds: now)
        )
    }

    func merge(_ clones: [AccountClone], now: Int64) throws -> Int {
        try merge(clones, now: LocalInstant(epochMilliseconds: now))
    }
}
