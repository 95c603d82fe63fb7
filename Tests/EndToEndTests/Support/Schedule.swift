import BatchCloneKit
import Foundation
import TolokaSimulator

enum Schedule {
    /// Seconds from the first to the last send of `count` clones at the fastest pace `limits` allow.
    static func optimumLastSend(count: Int, limits: [RateLimit], margin: Duration? = nil) -> Double {
        let ledger = RateLimitLedger(limits: limits, margin: margin)
        let sends = ledger.projectedSends(count: count, now: LedgerInstant(epochMilliseconds: 0))
        return Double(sends.last?.epochMilliseconds ?? 0) / 1000
    }

    /// Seconds from the first to the last accepted clone the simulator saw.
    static func observedLastSend(_ stats: SimulatorStats) -> Double {
        guard let first = stats.cloneArrivals.first, let last = stats.cloneArrivals.last else { return 0 }
        return last.timeIntervalSince(first)
    }

    /// Simulator limits matching the client's `--limit` values, shortest named MIN, longest DAY.
    static func simulated(_ limits: [RateLimit]) -> [SimulatedLimit] {
        let sorted = limits.sorted { $0.window < $1.window }
        return sorted.enumerated().map { index, limit in
            SimulatedLimit(
                count: limit.count,
                window: limit.window,
                interval: index == 0 ? "MIN" : index == sorted.count - 1 ? "DAY" : "HOUR"
            )
        }
    }
}

extension SimulatorStats {
    /// Pools cloned more than once.
    var duplicatedPools: [String] { clonesPerPool.filter { $0.value > 1 }.map(\.key).sorted() }
}
