import BatchCloneKit
import DurationFormat

/// Strategy 3: one clone every W/N of the tightest limit, the pace that looks safe on paper.
///
/// Sends follow a fixed grid, so small delays in one send make the next arrive closer to the
/// window's edge; on a 429 it sleeps Retry-After (else the interval's window) and restarts the grid.
struct FixedSpacingStrategy: PacingStrategy {
    let name: String
    let spacing: Duration

    init(limits: [RateLimit]) {
        spacing = limits.map { $0.window / $0.count }.max() ?? .seconds(3)
        name = "fixed spacing \(DurationFormatter.string(spacing)), sleep Retry-After on 429"
    }

    func clone(_ pools: [String], with client: StrategyClient) async throws {
        var next = client.clock.now
        for pool in pools {
            try await client.sleep(until: next)
            var waited = false
            while case .tooManyRequests(let interval, let retryAfter) = try await client.clone(pool) {
                try await client.sleep(for: client.retryWait(interval: interval, retryAfter: retryAfter))
                waited = true
            }
            next = waited ? client.clock.now + spacing : next + spacing
        }
    }
}
