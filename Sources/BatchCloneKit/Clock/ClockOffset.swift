/// A remote clock (`Remote`: the server's or the ledger's) minus ours, as a lower bound.
///
/// Conversions err later, as the schedule needs: a remote time brought to our clock lands no earlier
/// than it really happened here, and our time taken to the remote clock lands no later than it is there.
public struct ClockOffset<Remote: ClockScale>: Sendable, Hashable, Comparable {
    /// Remote minus local, in milliseconds; lower than or equal to the true offset.
    public var milliseconds: Int64

    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    /// The offset when nothing better is known: the remote clock may be up to `skew` behind ours.
    public init(remoteBehindBy skew: Int64) {
        self.init(milliseconds: -skew)
    }

    /// The offset that `remote` (a remote reading) shows when it was certainly made by `local` (our clock):
    /// a lower bound, since the reading is older than its arrival.
    public init(remote: EpochInstant<Remote>, readBy local: LocalInstant) {
        self.init(milliseconds: remote.epochMilliseconds - local.epochMilliseconds)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.milliseconds < rhs.milliseconds }

    /// `remote` on our clock, no earlier than it really was.
    public func local(_ remote: EpochInstant<Remote>) -> LocalInstant {
        LocalInstant(epochMilliseconds: remote.epochMilliseconds - milliseconds)
    }

    /// `local` on the remote clock, no later than it really is there.
    public func remote(_ local: LocalInstant) -> EpochInstant<Remote> {
        EpochInstant(epochMilliseconds: local.epochMilliseconds + milliseconds)
    }
}

/// The server's clock minus ours, a lower bound.
public typealias ServerOffset = ClockOffset<ServerScale>
/// The ledger's clock minus ours, a lower bound.
public typealias LedgerOffset = ClockOffset<LedgerScale>

extension EpochInstant where Scale == LedgerScale {
    /// Our instant `local` as the ledger's, unconverted: exact for a ledger on our clock (a file or memory
    /// store); for Redis, a place that still mixes the clocks (each caller says which).
    public static func sameClock(_ local: LocalInstant) -> Self {
        Self(epochMilliseconds: local.epochMilliseconds)
    }

    /// The ledger's instant as ours, unconverted: exact for a ledger on our clock; see `sameClock(_:)`.
    public var sameClockLocal: LocalInstant { LocalInstant(epochMilliseconds: epochMilliseconds) }
}
