/// The exact sliding-window log that enforces every limit at once.
///
/// Guarantee: for each limit N/W, any N+1 recorded sends span at least W + margin.
/// `earliestSend(now:)` is the first instant keeping that true, so no send waits longer than required.
public struct RateLimitLedger: Sendable, Equatable {
    /// A limit as the ledger enforces it.
    public typealias EffectiveLimit = RateLimitPolicy.EffectiveLimit

    /// The limits enforced.
    public let policy: RateLimitPolicy
    /// The sends recorded so far (the persisted state).
    public var log: SendLog

    /// The limits enforced, each with its margin.
    public var limits: [EffectiveLimit] { policy.limits }
    /// Sends older than this (ms) are dropped; see `RateLimitPolicy.retention`.
    var retention: Int64 { policy.retention }

    /// A ledger enforcing `policy` over `log`.
    public init(policy: RateLimitPolicy, log: SendLog = SendLog()) {
        self.policy = policy
        self.log = log
    }

    /// Creates a ledger; `margin` nil means each limit's default (2% of its window, at most 1 s).
    public init(
        limits: [RateLimit],
        margin: Duration? = nil,
        log: SendLog = SendLog(),
        minimumRetention: Duration = .seconds(86_401)
    ) {
        self.init(policy: RateLimitPolicy(limits: limits, margin: margin, minimumRetention: minimumRetention), log: log)
    }

    /// The earliest instant at or after `now` when one more send keeps every limit.
    func earliestSend(now: Int64) -> Int64 {
        policy.earliestSend(in: log, now: now)
    }

    /// Records a send at `time`, which must not be earlier than `earliestSend(now: time)`.
    mutating func recordSend(at time: Int64) {
        precondition(earliestSend(now: time) == time, "a send was recorded before the ledger allowed it")
        log.append(time)
    }

    /// Takes a send slot if one is free at `now`: records it and returns true. With a `source`, the
    /// send is an own send pending until its answer links it (`SendLog.attach`).
    mutating func takeSlot(now: Int64, source: String? = nil, target: String = OwnSend.poolTarget) -> Bool {
        guard earliestSend(now: now) == now else { return false }
        if let source {
            log.append(OwnSend(intent: now, source: source, target: target))
        } else {
            log.append(now)
        }
        return true
    }

    /// Treats the window as full until `time`: usage the server reported that we did not record.
    mutating func block(until time: Int64) {
        log.block(until: time)
    }

    /// Drops sends that can no longer constrain any future send, for these limits or any longer
    /// span declared on the log; declares this ledger's retention there first, so that it is
    /// persisted with the log and honoured by every later run on the same state file.
    mutating func prune(now: Int64) {
        log.declare(retention: retention)
        log.prune(now: now, retention: retention)
    }

    /// How much clock skew the log shows: how far its newest send lies after `now`, if it does.
    func futureSkew(now: Int64) -> Int64? {
        guard let newest = log.newest, newest > now else { return nil }
        return newest - now
    }
}

/// The public surface on the ledger's clock; the arithmetic above stays in epoch milliseconds.
extension RateLimitLedger {
    /// The earliest instant at or after `now` when one more send keeps every limit.
    public func earliestSend(now: LedgerInstant) -> LedgerInstant {
        LedgerInstant(epochMilliseconds: earliestSend(now: now.epochMilliseconds))
    }

    /// Records a send at `time`, which must not be earlier than `earliestSend(now: time)`.
    public mutating func recordSend(at time: LedgerInstant) {
        recordSend(at: time.epochMilliseconds)
    }

    /// Takes a send slot if one is free at `now`: records it and returns true (pending its answer with a `source`).
    public mutating func takeSlot(now: LedgerInstant, source: String? = nil, target: String = OwnSend.poolTarget)
        -> Bool
    {
        takeSlot(now: now.epochMilliseconds, source: source, target: target)
    }

    /// Treats the window as full until `time`: usage the server reported that we did not record.
    public mutating func block(until time: LedgerInstant) {
        block(until: time.epochMilliseconds)
    }

    /// Drops sends that can no longer constrain any future send; see `prune(now:)` on milliseconds.
    public mutating func prune(now: LedgerInstant) {
        prune(now: now.epochMilliseconds)
    }

    /// How far the log's newest send lies after `now`, if it does (clock skew).
    public func futureSkew(now: LedgerInstant) -> Duration? {
        futureSkew(now: now.epochMilliseconds).map { .milliseconds($0) }
    }
}

extension RateLimitLedger {
    /// One decision on the log at `now`, as a store whose log is read whole makes it: prunes, then
    /// records a send if a slot is free, else says how long until the earliest one.
    mutating func decideSlot(now: Int64, source: String? = nil, target: String = OwnSend.poolTarget) -> SlotDecision {
        prune(now: now)
        return takeSlot(now: now, source: source, target: target)
            ? .granted(at: LedgerInstant(epochMilliseconds: now)) : .wait(.milliseconds(earliestSend(now: now) - now))
    }
}
