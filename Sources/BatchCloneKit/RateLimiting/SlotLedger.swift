/// A shared send log that decides and records each send in one atomic step.
///
/// Unlike `LedgerStore.update`, the decision runs where the log lives, so a store with its own
/// clock (Redis `TIME`) keeps every machine on one timeline whatever their wall clocks say.
public protocol SlotLedger: Sendable {
    /// Decides one send under `ledger`'s limits at `now` (a file store uses it; Redis uses its own TIME): records it, or says how long to wait.
    func takeSlot(_ ledger: RateLimitLedger, now: Int64) throws -> SlotDecision
    /// Treats the windows as full for `duration` from the store's now (a 429 learned), for every run.
    func block(for duration: Duration, now: Int64) throws
    /// The log and the store's current instant (epoch ms), for status and plans.
    func snapshot(now: Int64) throws -> (log: SendLog, now: Int64)
    /// How long a waiting run may sleep before asking again (Redis: ~2 s, so a dead Redis is noticed within 5 s); nil = as long as needed.
    var heartbeat: Duration? { get }
    /// Links the own send granted at `intent` (the store's clock) to its operation, moved to
    /// `arrival` (our clock, `now` too) when later; see `SendLog.attach`.
    func attach(operationID: String, intent: Int64, arrival: Int64?, now: Int64) throws
    /// Counts the account's clones (times on our clock, `now` too) that the ledger does not know;
    /// returns how many were made elsewhere. See `SendLog.merge`.
    func merge(_ clones: [AccountClone], claimBefore: Int64, claimAfter: Int64, now: Int64) throws -> Int
}
