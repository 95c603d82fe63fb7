import Foundation

/// The pure model of one Toloka account: pools and trainings, clone and edit quotas, operations and faults.
///
/// Every method takes `now`; nothing here reads a clock, so tests drive time explicitly.
struct SimulatedAccount: Sendable {
    /// Kinds of injected GET failures, drawn uniformly.
    enum GetFault: CaseIterable, Sendable {
        case internalErrorJSON
        case badGatewayHTML
        case serviceUnavailableJSON
        case gatewayTimeoutHTML
        case internalErrorEmpty
        case dropConnection
    }

    /// What goes wrong after a clone has been committed.
    enum CloneFault: Sendable {
        case failAfterCommit
        case dropAfterCommit
        /// The answer is lost the way `failAfterCommit` or `dropAfterCommit` loses it, but the clone is committed later.
        case lateCommit(dropped: Bool)
    }

    static let firstNewPoolID = 1_000_001

    let configuration: SimulatorConfiguration
    let startedAt: Date
    var stats = SimulatorStats()
    private(set) var operations: [String: SimulatedOperation] = [:]
    /// Arrivals counted against each quota, keyed by `ArrivalKey`.
    var arrivals: [String: ArrivalLog] = [:]
    /// Hidden clones not yet counted, earliest first.
    private var hiddenPending: [HiddenClones]
    private var recentRequests = ArrivalLog()
    private var lockedRemaining: [String: Int]
    /// Pool faults drawn so far, keyed by `check:` or `clone:` and the pool id.
    private var poolFaultsDrawn: [String: Int] = [:]
    /// Pools and trainings created or edited so far; any other numeric id is a seed template.
    var objects: [String: SimulatedObject] = [:]
    /// Clone operations per source, keyed by target and id, for the busy-template switch.
    private var cloneOperationsBySource: [String: [String]] = [:]
    private var nextPoolID = firstNewPoolID
    /// Faults and latencies draw from their own stream so identifiers do not shift fault decisions.
    private var faultRandom: SeededRandom
    private var idRandom: SeededRandom
    /// Open latencies draw apart too, so that opening pools does not shift clone faults.
    var stepRandom: SeededRandom

    init(configuration: SimulatorConfiguration, now: Date) {
        self.configuration = configuration
        self.startedAt = SimulatorTime.truncated(now)
        self.lockedRemaining = configuration.faults.lockedPools
        self.hiddenPending = configuration.hiddenClones.filter { $0.count > 0 }.sorted { $0.after < $1.after }
        self.faultRandom = SeededRandom(seed: configuration.seed)
        self.idRandom = SeededRandom(seed: configuration.seed ^ 0x5EED_1D5E_ED1D_5EED)
        self.stepRandom = SeededRandom(seed: configuration.seed ^ 0x0BE2_0BE2_0BE2_0BE2)
        seedBackgroundOperations()
    }

    /// Operations that exist before any client arrives, so clients must skip types and pools that are not theirs.
    private mutating func seedBackgroundOperations() {
        let hour = 3600.0
        add(
            SimulatedOperation(
                id: idRandom.uuid(),
                type: "POOL.OPEN",
                submitted: startedAt.addingTimeInterval(-2 * hour),
                latency: 1.5,
                willFail: false,
                parameters: .object([("pool_id", .string("17"))])
            )
        )
        add(
            SimulatedOperation(
                id: idRandom.uuid(),
                type: "TASK.BATCH_CREATE",
                submitted: startedAt.addingTimeInterval(-hour),
                latency: 4.2,
                willFail: false,
                parameters: .object([
                    ("skip_invalid_items", .bool(false)),
                    ("allow_defaults", .bool(true)),
                    ("open_pool", .bool(false)),
                ]),
                successDetails: .object([
                    ("total_count", .int(20)),
                    ("valid_count", .int(20)),
                    ("not_valid_count", .int(0)),
                    ("success_count", .int(20)),
                    ("failed_count", .int(0)),
                ])
            )
        )
        add(
            SimulatedOperation(
                id: idRandom.uuid(),
                type: "POOL.CLOSE",
                submitted: startedAt.addingTimeInterval(-1),
                latency: 600,
                willFail: false,
                parameters: .object([("pool_id", .string("18"))])
            )
        )
        if let history = configuration.history, history.count > 0 {
            for index in 0..<history.count {
                let submitted = SimulatorTime.truncated(
                    startedAt.addingTimeInterval(-history.secondsBeforeStart(index))
                )
                arrivals[ArrivalKey.poolClones, default: ArrivalLog()].record(submitted)
                createCloneOperation(
                    .pool,
                    source: String(SimulatedHistory.firstSourcePoolID + index),
                    now: submitted,
                    latency: 1,
                    willFail: false
                )
            }
        }
        for index in 0..<max(0, configuration.faults.foreignClones) {
            arrivals[ArrivalKey.poolClones, default: ArrivalLog()].record(startedAt)
            createCloneOperation(.pool, source: String(900_000 + index), now: startedAt, latency: 1, willFail: false)
        }
    }

    mutating func add(_ operation: SimulatedOperation) {
        operations[operation.id] = operation
    }

    // MARK: - Requests

    mutating func nextRequestID() -> String {
        idRandom.uuid()
    }

    mutating func nextOperationID() -> String {
        idRandom.uuid()
    }

    mutating func recordRequest(route: String) {
        stats.requests += 1
        stats.requestsByRoute[route, default: 0] += 1
    }

    /// Applies the global per-second cap; every API request counts, rejected or not.
    mutating func admitRequest(now: Date) throws(SimulatedError) {
        guard let cap = configuration.globalRequestsPerSecond else { return }
        let windowStart = now.addingTimeInterval(-1)
        recentRequests.prune(atOrBefore: windowStart)
        recentRequests.record(now)
        guard recentRequests.count(after: windowStart, upTo: now) > cap else { return }
        let oldest = recentRequests.oldest(after: windowStart, upTo: now) ?? now
        // The real API names no window for its global limit: toloka-kit knows only MIN, HOUR and DAY.
        throw tooManyRequests(
            interval: nil,
            message: "too many requests: at most \(cap) requests per second are allowed",
            wait: oldest.addingTimeInterval(1).timeIntervalSince(now)
        )
    }

    /// Decides whether this GET fails on purpose, and how.
    mutating func drawGetFault() -> GetFault? {
        guard faultRandom.chance(configuration.faults.getFailureRate) else { return nil }
        stats.injectedFaults += 1
        let kinds = GetFault.allCases
        return kinds[Int(faultRandom.next() % UInt64(kinds.count))]
    }

    /// The fault configured for this request's pool (or training), counted as injected.
    mutating func drawPoolFault(pool: String, clone: Bool, target: SimulatedTarget = .pool) -> PoolFault? {
        if clone {
            switch target {
            case .pool: stats.clonePostsPerPool[pool, default: 0] += 1
            case .training: stats.clonePostsPerTraining[pool, default: 0] += 1
            }
        }
        guard let fault = (clone ? configuration.faults.cloneFaults : configuration.faults.checkFaults)[pool] else {
            return nil
        }
        let key = "\(clone ? "clone" : "check"):\(pool)"
        let drawn = poolFaultsDrawn[key, default: 0]
        if let limit = configuration.faults.poolFaultLimits[pool], drawn >= limit { return nil }
        poolFaultsDrawn[key] = drawn + 1
        stats.injectedFaults += 1
        return fault
    }

    // MARK: - Clones

    func pool(id: String) throws(SimulatedError) -> SimulatedObject {
        try object(.pool, id: id)
    }

    /// Clones a pool: existence and rights first, then the lock, then the rolling quotas, then the commit.
    mutating func clonePool(id: String, now: Date) throws(SimulatedError) -> (SimulatedOperation, CloneFault?) {
        try clone(.pool, id: id, now: now)
    }

    /// Clones a pool or training; each target counts against its own quotas.
    mutating func clone(_ target: SimulatedTarget, id: String, now: Date) throws(SimulatedError) -> (
        SimulatedOperation, CloneFault?
    ) {
        _ = try object(target, id: id)
        if let remaining = lockedRemaining[id], remaining > 0 {
            lockedRemaining[id] = remaining - 1
            throw Self.locked(target, id)
        }
        if configuration.busyTemplates, isCloning(target, id: id, now: now) {
            throw Self.locked(target, id)
        }
        let arrival = SimulatorTime.truncated(now)
        countHiddenClones(now: arrival)
        switch target {
        case .pool:
            try enforce(configuration.limits, key: ArrivalKey.poolClones, what: "pool clones", now: arrival)
        case .training:
            try enforce(
                configuration.trainingLimits,
                key: ArrivalKey.trainingClones,
                what: "training clones",
                now: arrival
            )
        }
        var late: Bool?
        if faultRandom.chance(configuration.faults.lateCommitRate) {
            late = faultRandom.chance(0.5)
        }
        let commit =
            late == nil
            ? arrival
            : SimulatorTime.truncated(arrival.addingTimeInterval(configuration.faults.lateCommitDelay.simulatorSeconds))
        let operation = createCloneOperation(
            target,
            source: id,
            now: commit,
            latency: faultRandom.value(in: configuration.operationLatency),
            willFail: faultRandom.chance(configuration.faults.operationFailRate)
        )
        switch target {
        case .pool:
            stats.acceptedClones += 1
            stats.clonesPerPool[id, default: 0] += 1
            stats.cloneArrivals.append(arrival)
        case .training:
            stats.acceptedTrainingClones += 1
            stats.clonesPerTraining[id, default: 0] += 1
            stats.trainingCloneArrivals.append(arrival)
        }
        var fault: CloneFault?
        if let late {
            fault = .lateCommit(dropped: late)
        } else if faultRandom.chance(configuration.faults.postCommitThenFailRate) {
            fault = .failAfterCommit
        } else if faultRandom.chance(configuration.faults.postCommitThenDropRate) {
            fault = .dropAfterCommit
        }
        if fault != nil {
            stats.injectedFaults += 1
        }
        return (operation, fault)
    }

    static func locked(_ target: SimulatedTarget, _ id: String) -> SimulatedError {
        SimulatedError(
            status: 409,
            code: "POOL_LOCKED_BY_ANOTHER_OPERATION",
            message: "\(target.rawValue) \(id) is locked by another operation; repeat in a little while"
        )
    }

    /// Whether a clone operation of this source has been submitted and has not finished at `now`.
    private func isCloning(_ target: SimulatedTarget, id: String, now: Date) -> Bool {
        (cloneOperationsBySource["\(target.rawValue):\(id)"] ?? []).contains { operationID in
            guard let operation = operations[operationID] else { return false }
            return operation.submitted <= now && now < operation.finishedAt
        }
    }

    /// Counts the hidden clones due by `now` in the windows, at their own time; no operation shows them.
    private mutating func countHiddenClones(now: Date) {
        while let next = hiddenPending.first {
            let time = SimulatorTime.truncated(startedAt.addingTimeInterval(next.after.simulatorSeconds))
            guard time <= now else { return }
            hiddenPending.removeFirst()
            for _ in 0..<next.count { arrivals[ArrivalKey.poolClones, default: ArrivalLog()].record(time) }
            stats.hiddenClones += next.count
        }
    }

    /// Rejects when any window already holds `count` arrivals, reporting the window that frees up
    /// last; otherwise records this arrival, as the quota counts a request on arrival.
    mutating func enforce(_ limits: [SimulatedLimit], key: String, what: String, now: Date) throws(SimulatedError) {
        let binding = Self.binding(limits, log: &arrivals[key, default: ArrivalLog()], now: now)
        // A rejected request still counts under the strictest reading.
        if binding == nil || configuration.rejectedRequestsCount {
            arrivals[key, default: ArrivalLog()].record(now)
        }
        guard let binding else { return }
        throw tooManyRequests(
            interval: binding.limit.interval,
            message: "too many requests: at most \(binding.limit.count) \(what) are allowed "
                + "in any \(Self.describe(binding.limit.window))",
            wait: binding.wait
        )
    }

    /// The limit whose window is full at `now` and frees up last, if any; prunes what all windows left behind.
    private static func binding(_ limits: [SimulatedLimit], log: inout ArrivalLog, now: Date) -> (
        limit: SimulatedLimit, wait: Double
    )? {
        var binding: (limit: SimulatedLimit, wait: Double)?
        var longestWindow = 0.0
        for limit in limits {
            let window = limit.window.simulatorSeconds
            longestWindow = max(longestWindow, window)
            let windowStart = now.addingTimeInterval(-window)
            guard log.count(after: windowStart, upTo: now) >= limit.count else { continue }
            let oldest = log.oldest(after: windowStart, upTo: now) ?? now
            let wait = oldest.addingTimeInterval(window).timeIntervalSince(now)
            if binding == nil || wait > binding!.wait {
                binding = (limit, wait)
            }
        }
        log.prune(atOrBefore: now.addingTimeInterval(-longestWindow))
        return binding
    }

    /// Commits a clone: its operation, and the new object copying the source's current settings.
    @discardableResult
    private mutating func createCloneOperation(
        _ target: SimulatedTarget,
        source: String,
        now: Date,
        latency: Double,
        willFail: Bool
    ) -> SimulatedOperation {
        let newID = String(nextPoolID)
        nextPoolID += 1
        let faults = configuration.faults
        let key = target.parameterKey
        var operation = SimulatedOperation(
            id: idRandom.uuid(),
            type: target.cloneOperationType,
            submitted: now,
            latency: max(0, latency),
            willFail: willFail,
            parameters: .object([(key, .string(source))]),
            successDetails: faults.successWithoutPoolID.contains(source)
                ? nil : .object([(key, .string(newID))]),
            failureDetails: .object([("reason", .string("internal error while copying the \(target.rawValue)"))])
        )
        // A late commit is unknown until `now`; an eventually consistent one stays unknown a while longer.
        let hidden = faults.invisibleOperations[source]?.simulatorSeconds ?? 0
        operation.visibleFrom = now.addingTimeInterval(hidden)
        add(operation)
        cloneOperationsBySource["\(target.rawValue):\(source)", default: []].append(operation.id)
        var copy = storedOrTemplate(target, id: source)
        copy.id = newID
        copy.created = operation.finishedAt
        copy.openOperationID = nil
        objects[newID] = copy
        return operation
    }

    mutating func tooManyRequests(interval: String?, message: String, wait: Double) -> SimulatedError {
        stats.tooManyRequests += 1
        return SimulatedError(
            status: 429,
            code: "TOO_MANY_REQUESTS",
            message: message,
            payload: interval.map { .object([("interval", .string($0))]) },
            retryAfter: configuration.faults.retryAfter ? max(1, Int(wait.rounded(.up))) : nil
        )
    }

    private static func describe(_ window: Duration) -> String {
        let seconds = window.simulatorSeconds
        if seconds == 86_400 { return "day" }
        if seconds == 3600 { return "hour" }
        if seconds == 60 { return "minute" }
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
    }

    // MARK: - Operations

    func operation(id: String, now: Date) throws(SimulatedError) -> SimulatedOperation {
        guard let operation = operations[id], operation.isVisible(at: now) else {
            throw .doesNotExist("operation \(id) does not exist")
        }
        return operation
    }

    func listOperations(_ query: OperationQuery, now: Date) -> (items: [SimulatedOperation], hasMore: Bool) {
        query.apply(to: operations.values.filter { $0.isVisible(at: now) }, now: now)
    }
}
