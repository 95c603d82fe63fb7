/// A snapshot for live progress displays: where the batch stands and what the quota allows.
public struct RunProgress: Sendable, Equatable {
    /// Pools of the batch.
    public var total: Int
    /// Pools cloned (now or earlier).
    public var cloned: Int
    /// Pools given up.
    public var failed: Int
    /// Clones sent and not finished yet.
    public var inFlight: Int
    /// Per-limit usage at the time of the snapshot.
    public var limits: [RateLimitLedger.LimitStatus]
    /// When the next clone may be sent.
    public var nextSlot: LocalInstant
    /// When the last remaining clone can be sent at the fastest pace allowed, if any is left.
    public var lastSend: LocalInstant?

    public init(
        total: Int,
        cloned: Int,
        failed: Int,
        inFlight: Int,
        limits: [RateLimitLedger.LimitStatus],
        nextSlot: LocalInstant,
        lastSend: LocalInstant?
    ) {
        self.total = total
        self.cloned = cloned
        self.failed = failed
        self.inFlight = inFlight
        self.limits = limits
        self.nextSlot = nextSlot
        self.lastSend = lastSend
    }
}
