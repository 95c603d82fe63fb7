import DurationFormat

/// Every send of the account held back after a 429: which of the server's windows, until when, why.
public struct ServerBlock: Sendable, Equatable, CustomStringConvertible {
    /// Why the block lasts as long as it does.
    public enum Reason: Sendable, Equatable {
        /// The server named its wait (`Retry-After`), capped by the window plus a second.
        case retryAfter
        /// Until the ledger and the account's list, merged, leave a slot in the window.
        case known
        /// Refused again where a slot was known: the server counts clones nobody can see; this is
        /// probe `number`, `step` after the refusal.
        case probe(number: Int, step: Duration)
    }

    /// The server's name for the window (`payload.interval`), as it sent it.
    public var interval: String?
    /// The configured limit the name maps to; nil for an `HOUR` no configured window stands for.
    public var limit: RateLimit?
    /// The window blocked.
    public var window: Duration
    /// No send of the account before this instant, on our clock.
    public var until: LocalInstant
    public var reason: Reason

    public init(interval: String?, limit: RateLimit?, window: Duration, until: LocalInstant, reason: Reason) {
        self.interval = interval
        self.limit = limit
        self.window = window
        self.until = until
        self.reason = reason
    }

    /// The block with `until` in epoch milliseconds of our clock, as the state machine counts.
    init(interval: String?, limit: RateLimit?, window: Duration, until: Int64, reason: Reason) {
        self.init(
            interval: interval,
            limit: limit,
            window: window,
            until: LocalInstant(epochMilliseconds: until),
            reason: reason
        )
    }

    /// `the DAY window (limit 100/1d)`.
    public var windowDescription: String {
        let name = interval.map { "the \($0) window" } ?? "the server's window"
        let detail = limit.map { "limit \($0)" } ?? "\(DurationFormatter.string(window)), not a configured limit"
        return "\(name) (\(detail))"
    }

    /// Why, in words: `the server counts clones nobody can see; probing again in 3s`.
    public var reasonDescription: String {
        switch reason {
        case .retryAfter:
            "the server asked to wait (Retry-After)"
        case .known:
            "until the ledger and the account's list leave a slot in it"
        case .probe(let number, let step):
            "refused again where a slot was known: the server counts clones nobody can see; "
                + "probe \(number) in \(DurationFormatter.string(step))"
        }
    }

    public var description: String { "\(windowDescription) is full (429): \(reasonDescription)" }
}
