import BatchCloneKit

/// The fastest schedule any client could achieve: the k-th send at the earliest instant every
/// window allows, counted from the first send.
struct Optimum {
    /// Seconds from the first to the last send with no margin: the hard lower bound.
    let lastSend: Double
    /// The same with batch-clone's default margins, which it adds on purpose against clock skew.
    let lastSendWithMargin: Double

    init(limits: [RateLimit], sends: Int) {
        lastSend = Self.lastSend(RateLimitLedger(limits: limits, margin: .zero), sends: sends)
        // A nil margin is batch-clone's own default (2% of each window, at most 1 s).
        lastSendWithMargin = Self.lastSend(RateLimitLedger(limits: limits, margin: nil), sends: sends)
    }

    /// The ledger's own projection is the exact sliding-window log, the same rule the simulator checks.
    private static func lastSend(_ ledger: RateLimitLedger, sends: Int) -> Double {
        guard sends > 0 else { return 0 }
        let times = ledger.projectedSends(count: sends, now: LedgerInstant(epochMilliseconds: 0))
        return Double(times.last!.milliseconds(since: times.first!)) / 1000
    }
}
