/// Everything that shapes a simulated Toloka account and the server exposing it.
public struct SimulatorConfiguration: Sendable {
    /// Clone quotas, checked on rolling windows of arrival time.
    public var limits: [SimulatedLimit] = [
        SimulatedLimit(count: 20, window: .seconds(60), interval: "MIN"),
        SimulatedLimit(count: 100, window: .seconds(86_400), interval: "DAY"),
    ]
    /// Training clone quotas, counted apart from pool clones ("Clone training pools" in the table).
    public var trainingLimits: [SimulatedLimit] = [
        SimulatedLimit(count: 20, window: .seconds(60), interval: "MIN"),
        SimulatedLimit(count: 100, window: .seconds(86_400), interval: "DAY"),
    ]
    /// Quotas on edits (`PUT`) that change an overlap value ("Change overlap": 10 per hour).
    public var overlapLimits: [SimulatedLimit] = [SimulatedLimit(count: 10, window: .seconds(3600), interval: "HOUR")]
    /// Whether `overlapLimits` count per pool rather than per account; the reference does not say.
    public var overlapLimitPerPool: Bool = false
    /// Whether a template is busy while one of its clone operations runs: another clone of it is
    /// answered 409 POOL_LOCKED_BY_ANOTHER_OPERATION (not counted in the quotas).
    public var busyTemplates: Bool = false
    /// Seed templates whose `will_expire` is a day before start, so their clones cannot open as they are.
    public var expiredTemplates: ExpiredTemplates = .none
    /// Seconds from submit to SUCCESS or FAIL; PENDING for the first 30% of it, then RUNNING.
    public var operationLatency: ClosedRange<Double> = 0.5...2.0
    /// Pools (and trainings) answering 404 DOES_NOT_EXIST on every request.
    public var missingPools: Set<String> = []
    /// nil accepts any non-empty credential; otherwise `Authorization` must be `ApiKey <token>` or `OAuth <token>`.
    public var token: String? = nil
    /// Whether clone POSTs rejected with 429 still count in the windows (the strictest reading).
    public var rejectedRequestsCount: Bool = true
    /// Global cap over all API requests in any rolling second; nil disables it.
    public var globalRequestsPerSecond: Int? = 300
    /// Clones made before start by another client (web UI, other machines); nil for none.
    public var history: SimulatedHistory? = nil
    /// Clones made elsewhere during the run that no listing shows: counted in the windows only.
    public var hiddenClones: [HiddenClones] = []
    /// Answers 400 VALIDATION_ERROR to `GET /operations` with a `type` filter, as the public
    /// reference's list of types (without POOL.CLONE) would allow.
    public var refuseTypeFilter: Bool = false
    /// How far the server's clock runs ahead of ours (negative: behind); shows in every time it
    /// reports (`submitted`, the `Date` header), not in the windows, which run on its own clock.
    public var clockOffset: Duration = .zero
    /// Injected misbehaviour.
    public var faults = SimulatorFaults()
    /// Seed of the generator behind faults, latencies and identifiers.
    public var seed: UInt64 = 1
    /// Numeric address to listen on.
    public var host: String = "127.0.0.1"
    /// Port to listen on; 0 picks an ephemeral port.
    public var port: Int = 0
    /// Called after a clone is committed and before its answer is written, with the source pool (or
    /// training) and the number of clones of that target accepted so far: tests kill the client here
    /// to lose the answer.
    public var onCloneCommitted: (@Sendable (_ sourcePoolID: String, _ acceptedClones: Int) -> Void)? = nil

    /// Creates the default configuration: Toloka's documented clone limits, no faults.
    public init() {}
}
