import TolokaSimulator

/// What one strategy achieved, read from the simulator's own counters rather than the client's word.
struct StrategyResult: Sendable {
    var name: String
    /// Pools in the batch.
    var pools: Int
    /// Distinct pools of the batch with at least one accepted clone.
    var cloned: Int
    /// Seconds from the first to the last accepted clone arrival.
    var lastSend: Double
    var tooManyRequests: Int
    /// Accepted clones beyond the first per pool: extra copies a user must delete by hand.
    var duplicates: Int
    /// Why the run ended badly, if it did (a child exit code, a client error).
    var problem: String?

    init(name: String, pools: [String], stats: SimulatorStats, problem: String? = nil) {
        self.name = name
        self.pools = pools.count
        let batch = Set(pools)
        cloned = stats.clonesPerPool.keys.filter { batch.contains($0) }.count
        if let first = stats.cloneArrivals.first, let last = stats.cloneArrivals.last {
            lastSend = last.timeIntervalSince(first)
        } else {
            lastSend = 0
        }
        tooManyRequests = stats.tooManyRequests
        duplicates = stats.clonesPerPool.values.reduce(0) { $0 + max(0, $1 - 1) }
        self.problem = problem
    }
}
