/// The limits a target's clones are held to, apart from the log they are checked against: what a
/// store needs to decide a slot, and what the run needs to name a window.
///
/// Guarantee: for each limit N/W, any N+1 recorded sends span at least W + margin.
public struct RateLimitPolicy: Sendable, Hashable {
    /// A limit as the ledger enforces it: the window widened by the margin, in milliseconds.
    public struct EffectiveLimit: Sendable, Hashable {
        public var limit: RateLimit
        /// Window plus margin, in milliseconds.
        var span: Int64

        /// The window as enforced: the limit's window plus the margin.
        public var widenedWindow: Duration { .milliseconds(span) }
    }

    /// The limits enforced, each with its margin.
    public let limits: [EffectiveLimit]
    /// Sends older than this (ms) are dropped: the longest span, and for the shared clone ledger at
    /// least a day plus a second, so that a run configured with shorter limits never erases another
    /// run's daily log.
    let retention: Int64

    /// A policy for `limits`; `margin` nil means each limit's default (2% of its window, at most 1 s).
    public init(limits: [RateLimit], margin: Duration? = nil, minimumRetention: Duration = .seconds(86_401)) {
        self.limits = limits.map { limit in
            EffectiveLimit(limit: limit, span: (limit.window + (margin ?? limit.defaultMargin)).millisecondsRoundedUp)
        }
        self.retention = max(self.limits.map(\.span).max() ?? 0, minimumRetention.millisecondsRoundedUp)
    }

    /// The earliest instant at or after `now` when one more send into `log` keeps every limit.
    ///
    /// Sends are only ever appended after the newest one, which keeps the log sorted and makes
    /// the check against the N-th most recent send exact even when another process's clock ran ahead.
    func earliestSend(in log: SendLog, now: Int64) -> Int64 {
        var earliest = max(now, log.newest ?? now, log.blockedUntil ?? now)
        let sends = log.sends
        for limit in limits where sends.count >= limit.limit.count {
            earliest = max(earliest, sends[sends.count - limit.limit.count] + limit.span)
        }
        return earliest
    }

    /// The longest widened window, in milliseconds (a day and a second without limits).
    var longestSpan: Int64 { limits.map(\.span).max() ?? 86_401_000 }
}
