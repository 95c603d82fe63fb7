/// Misbehaviour injected into the simulated service; everything is off by default.
public struct SimulatorFaults: Sendable {
    /// Share of GET requests answered with a fault: 500/503 JSON, 502/504 HTML, 500 empty, or a dropped connection.
    public var getFailureRate: Double = 0
    /// Share of clone POSTs that create the operation (the clone counts) and then answer 500 INTERNAL_ERROR.
    public var postCommitThenFailRate: Double = 0
    /// Share of clone POSTs that create the operation and then close the connection without answering.
    public var postCommitThenDropRate: Double = 0
    /// Share of clone POSTs whose answer is lost (500 or dropped, half each) and whose clone is
    /// committed `lateCommitDelay` later: the operation is listed and found only from then on.
    public var lateCommitRate: Double = 0
    /// How long after a late-committed clone's POST its operation appears, `submitted` included.
    public var lateCommitDelay: Duration = .seconds(4)
    /// Source pools whose clone operations SUCCEED without `details.pool_id`.
    public var successWithoutPoolID: Set<String> = []
    /// Source pool id to how long its clone operations answer 404 (and stay unlisted) after the commit.
    public var invisibleOperations: [String: Duration] = [:]
    /// Share of clone operations that end in FAIL instead of SUCCESS.
    public var operationFailRate: Double = 0
    /// Whether 429 answers carry a `Retry-After` header (whole seconds, rounded up).
    public var retryAfter: Bool = true
    /// Clones by someone else on the same account, recorded in the rate windows at start.
    public var foreignClones: Int = 0
    /// Pools answering 403 ACCESS_DENIED on GET and on clone.
    public var forbiddenPools: Set<String> = []
    /// Pool id to the number of clone POSTs answered 409 POOL_LOCKED_BY_ANOTHER_OPERATION before one goes through.
    public var lockedPools: [String: Int] = [:]
    /// Pool id to a misbehaviour of its check, `GET /pools/{id}`.
    public var checkFaults: [String: PoolFault] = [:]
    /// Pool id to a misbehaviour of its clone POST, answered before the quota or the lock are looked at.
    public var cloneFaults: [String: PoolFault] = [:]
    /// Pool id to how many of its checks (and, apart, clone POSTs) misbehave before it answers
    /// normally; a pool not listed misbehaves on every request.
    public var poolFaultLimits: [String: Int] = [:]
    /// Delay before every answer, to exercise client timeouts.
    public var responseDelay: Duration = .zero
    /// Up to this much more delay, drawn anew for every answer, as a loaded or distant server answers.
    public var responseDelayJitter: Duration = .zero

    /// Creates a fault set with every fault disabled.
    public init() {}
}
