import Foundation

/// Exponential backoff with full jitter for requests that are safe to repeat (GETs).
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// The backoff ceiling before jitter for the first retry.
    public var baseDelay: TimeInterval
    /// The largest backoff ceiling.
    public var maxDelay: TimeInterval

    public init(maxAttempts: Int = 8, baseDelay: TimeInterval = 0.5, maxDelay: TimeInterval = 30) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The wait after failed attempt `attempt` (1-based), or nil when no attempt is left.
    ///
    /// Full jitter: uniform in [0, min(maxDelay, baseDelay * 2^(attempt-1))), with `unit` in [0, 1).
    /// A server's Retry-After is honoured as a floor.
    public func delay(afterAttempt attempt: Int, unit: Double, retryAfter: TimeInterval? = nil) -> TimeInterval? {
        guard attempt < maxAttempts else { return nil }
        let ceiling = min(maxDelay, baseDelay * pow(2, Double(min(attempt - 1, 30))))
        let jittered = ceiling * min(max(unit, 0), 1)
        return max(jittered, min(retryAfter ?? 0, maxDelay * 10))
    }
}
