/// A snapshot for live progress displays: where the batch stands and what the quota allows.
public struct RunProgress: Sendable, Equatable {
    /// Pools of the batch.
    public var total: Int
    /// Pools cloned (now or earlier), their steps done or not, as the closing summary counts them.
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
    /// Clones with an edit done (now or earlier); nil when the run has no `--set`.
    public var edited: Int?
    /// Clones opened (now or earlier); nil when the run has no `--open`.
    public var opened: Int?

    public init(
        total: Int,
        cloned: Int,
        failed: Int,
        inFlight: Int,
        limits: [RateLimitLedger.LimitStatus],
        nextSlot: LocalInstant,
        lastSend: LocalInstant?,
        edited: Int? = nil,
        opened: Int? = nil
    ) {
        self.total = total
        self.cloned = cloned
        self.failed = failed
        self.inFlight = inFlight
        self.limits = limits
        self.nextSlot = nextSlot
        self.lastSend = lastSend
        self.edited = edited
        self.opened = opened
    }
}
