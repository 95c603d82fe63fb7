/// How a batch runs: limits, pacing and patience.
public struct RunConfiguration: Sendable {
    /// The clone limits of the account.
    public var limits: [RateLimit] = RateLimit.tolokaCloneDefaults
    /// Extra spacing per window against clock skew and jitter; nil: 2% of each window, at most 1 s.
    public var margin: Duration?
    /// Time between two reads of an unfinished operation.
    public var pollInterval: Duration = .seconds(1)
    /// The longest wait for a send slot before stopping (resumable); nil waits as long as needed.
    public var maxWait: Duration? = .seconds(600)
    /// Clone requests per pool whose operation FAILed or whose outcome stayed unknown, before the pool is given up.
    public var maxAttempts: Int = 3
    /// How long after its intent a clone whose answer was lost is looked for before it is sent again.
    public var reconcileWindow: Duration = .seconds(120)
    /// How long an operation may stay unfinished before it is reported (and left resumable).
    public var operationTimeout: Duration = .seconds(600)
    /// How far the server's clock may be from ours when looking for a clone whose answer was lost.
    public var clockSkew: Duration = .seconds(300)
    /// Learn the account's own record of its clones (`GET /operations`) before sending and before
    /// long waits, so clones made elsewhere count in the ledger.
    public var accountView: Bool = true
    /// Re-attempt pools that failed in an earlier run.
    public var retryFailed: Bool = false
    /// Times a pool answered 409 (busy) may be retried before it is given up.
    public var maxBusyRetries: Int = 5
    /// Consecutive 403 answers on distinct first pools that mean the account itself has no access.
    public var accessDeniedStopCount: Int = 3
    /// Pools checked at once (`GET /pools/{id}`) ahead of their turn, the current one included.
    public var checkLookahead: Int = 8
    /// Operations due for a poll at once from which one list request replaces the single reads.
    public var listPollMinimum: Int = 3
    /// Called once a clone's intent is durable and before its POST leaves, with the pool and the
    /// number of clones sent by this run: the crash tests' failpoint between the two.
    public var afterIntentRecorded: (@Sendable (_ pool: String, _ clonesSent: Int) -> Void)?
    /// Emit `.progress` snapshots (a live display wants them; they cost a projection of the schedule).
    public var progressSnapshots: Bool = true
    /// The steps after each clone (`--set`, `--open`).
    public var steps = StepPlan()
    /// The pace of edits that set an overlap value (`defaults.default_overlap_*`): the API allows 10
    /// overlap changes per hour, per pool or per account (not said): per account, on the shared
    /// ledger's overlap log (`BatchRun`'s `overlapLedger`).
    public var overlapLimits: [RateLimit] = [RateLimit(count: 10, window: .seconds(3600))]
    /// Called once a step after the clone is durable, with the item and the number of steps done by
    /// this run (an edit counts once): the crash tests' failpoint between two steps.
    public var afterStepRecorded: (@Sendable (_ pool: String, _ stepsDone: Int) -> Void)?

    public init() {}

    /// The limits these settings enforce, with the margin.
    public var policy: RateLimitPolicy {
        RateLimitPolicy(limits: limits, margin: margin)
    }

    /// The ledger these settings enforce, over `log`.
    public func ledger(_ log: SendLog = SendLog()) -> RateLimitLedger {
        RateLimitLedger(policy: policy, log: log)
    }
}
