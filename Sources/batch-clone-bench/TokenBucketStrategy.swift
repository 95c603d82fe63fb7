import BatchCloneKit

/// Strategy 4: one token bucket per limit (capacity N, refilled N per W); a send takes a token
/// from each; on a 429 it sleeps Retry-After (else the interval's window) and tries again,
/// taking fresh tokens as a limiter-wrapped call does.
struct TokenBucketStrategy: PacingStrategy {
    let name = "token bucket N per W, sleep Retry-After on 429"
    let limits: [RateLimit]

    func clone(_ pools: [String], with client: StrategyClient) async throws {
        var buckets = limits.map { TokenBucket(limit: $0, now: client.clock.now) }
        for pool in pools {
            while true {
                try await takeToken(from: &buckets, client: client)
                guard case .tooManyRequests(let interval, let retryAfter) = try await client.clone(pool) else { break }
                try await client.sleep(for: client.retryWait(interval: interval, retryAfter: retryAfter))
            }
        }
    }

    /// Waits until every bucket holds a token, then takes one from each.
    private func takeToken(from buckets: inout [TokenBucket], client: StrategyClient) async throws {
        while true {
            let now = client.clock.now
            for index in buckets.indices { buckets[index].refill(now: now) }
            let wait = buckets.map(\.waitForToken).max() ?? 0
            if wait == 0 { break }
            try await client.sleep(for: .microseconds(Int64((wait * 1e6).rounded(.up))))
        }
        for index in buckets.indices { buckets[index].take() }
    }
}
