import BatchCloneKit

/// A token bucket of capacity N refilled continuously at N per W: the default of common limiters.
///
/// It allows a full burst of N at once and then N per W, so up to 2N-1 sends can fall in one
/// rolling window: the reason it draws 429s from a sliding-window server.
struct TokenBucket {
    let capacity: Double
    /// Tokens per second.
    let rate: Double
    private(set) var tokens: Double
    private var refilledAt: ContinuousClock.Instant

    init(limit: RateLimit, now: ContinuousClock.Instant) {
        capacity = Double(limit.count)
        rate = Double(limit.count) / limit.window.timeInterval
        tokens = capacity
        refilledAt = now
    }

    mutating func refill(now: ContinuousClock.Instant) {
        tokens = min(capacity, tokens + (now - refilledAt).timeInterval * rate)
        refilledAt = now
    }

    /// Seconds until one token is available, after `refill`.
    var waitForToken: Double {
        tokens >= 1 ? 0 : (1 - tokens) / rate
    }

    mutating func take() {
        tokens -= 1
    }
}
