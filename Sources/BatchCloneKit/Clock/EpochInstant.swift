import Foundation

/// Which clock an instant was read from; an instant of one clock never compares with another's.
public protocol ClockScale: Sendable {
    /// How the clock is named in descriptions (`local`, `server`, `ledger`).
    static var name: String { get }
}

/// Our own clock: the process's `BatchClock`.
public enum LocalScale: ClockScale {
    public static let name = "local"
}

/// Toloka's clock: `submitted` of an operation, the `Date` header, `submitted_gte`.
public enum ServerScale: ClockScale {
    public static let name = "server"
}

/// The shared ledger's clock: Redis `TIME` for a Redis ledger, our clock for a file ledger.
public enum LedgerScale: ClockScale {
    public static let name = "ledger"
}

/// An instant on our clock (epoch milliseconds).
public typealias LocalInstant = EpochInstant<LocalScale>
/// An instant on the Toloka server's clock (epoch milliseconds).
public typealias ServerInstant = EpochInstant<ServerScale>
/// An instant on the shared ledger's clock (epoch milliseconds).
public typealias LedgerInstant = EpochInstant<LedgerScale>

/// Epoch milliseconds read from the clock `Scale`; instants of different clocks only meet through a `ClockOffset`.
public struct EpochInstant<Scale: ClockScale>: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var epochMilliseconds: Int64

    public init(epochMilliseconds: Int64) {
        self.epochMilliseconds = epochMilliseconds
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.epochMilliseconds < rhs.epochMilliseconds }

    /// The instant `milliseconds` later (earlier when negative).
    public func advanced(byMilliseconds milliseconds: Int64) -> Self {
        Self(epochMilliseconds: epochMilliseconds + milliseconds)
    }

    /// Milliseconds from `earlier` to this instant, on the same clock.
    public func milliseconds(since earlier: Self) -> Int64 { epochMilliseconds - earlier.epochMilliseconds }

    /// Later by `duration`, rounded up to the millisecond so that a wait is never shortened.
    public static func + (lhs: Self, rhs: Duration) -> Self {
        lhs.advanced(byMilliseconds: rhs.millisecondsRoundedUp)
    }

    /// Earlier by `duration`, rounded up to the millisecond so that a window looked back over is never shortened.
    public static func - (lhs: Self, rhs: Duration) -> Self {
        lhs.advanced(byMilliseconds: -rhs.millisecondsRoundedUp)
    }

    /// The time from `rhs` to `lhs`, on the same clock.
    public static func - (lhs: Self, rhs: Self) -> Duration { .milliseconds(lhs.milliseconds(since: rhs)) }

    /// The wall-clock `Date` of this instant.
    public var date: Date { Date(epochMilliseconds: epochMilliseconds) }

    public var description: String { "\(Scale.name) \(UTCTimestamp.format(milliseconds: epochMilliseconds))" }
}

extension EpochInstant where Scale == LocalScale {
    /// Our clock's reading `date`, rounded up to the millisecond.
    public init(_ date: Date) {
        self.init(epochMilliseconds: date.epochMilliseconds)
    }
}

extension BatchClock {
    /// The current instant on our clock.
    public var localNow: LocalInstant { LocalInstant(now) }
}
