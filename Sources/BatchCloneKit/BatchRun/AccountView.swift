/// What the run knows of the account's own record of its clones (`GET /operations`).
struct AccountView: Sendable, Equatable {
    /// When the account's clones were last listed (our clock, epoch ms).
    var lastListed: Int64?
    /// A lower bound of the server's clock minus ours (ms): converting a server time with it errs
    /// later, which only ever makes the schedule safer.
    var offsetLow: Int64?
    /// A failed listing is said once.
    var failureReported = false
    /// Clones made outside the ledger, merged by this run.
    var foreignClones = 0

    /// Learns a lower bound of the server's lead: a server time minus the instant (our clock) by
    /// which it had certainly been produced.
    mutating func observe(lead: Int64) {
        offsetLow = max(offsetLow ?? .min, lead)
    }
}
