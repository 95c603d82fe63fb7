/// What a process knows of the account's own record of its clones (`GET /operations`): the one
/// reading of it that `run` (before sends and long waits) and `status` share.
public struct AccountView: Sendable, Equatable {
    /// When the account's clones were last listed (our clock).
    public internal(set) var lastListed: LocalInstant?
    /// A lower bound of the server's clock minus ours: converting a server time with it errs
    /// later, which only ever makes the schedule safer.
    public private(set) var offsetLow: ServerOffset?
    /// A failed listing is said once.
    var failureReported = false
    /// Clones made outside the ledger, merged by this run.
    var foreignClones = 0
    /// How far the server's clock may be behind ours when nothing better is known (ms).
    let clockSkew: Int64

    /// A view with nothing listed yet; `clockSkew` (ms) bounds the server's clock until a `Date` header tells it.
    public init(clockSkew: Duration) {
        self.init(clockSkew: clockSkew.millisecondsRoundedUp)
    }

    /// A view with nothing listed yet; `clockSkew` in milliseconds.
    init(clockSkew: Int64) {
        self.clockSkew = clockSkew
    }

    /// The offset to convert server times with: the best bound learnt, else the clock skew allowance.
    public var offset: ServerOffset { offsetLow ?? ServerOffset(remoteBehindBy: clockSkew) }

    /// Where a listing of `longestSpan`'s clones starts (server time): that window back, and the
    /// clock skew allowance more.
    public func listSince(now: LocalInstant, longestSpan: Duration) -> ServerInstant {
        listSince(now: now, longestSpan: longestSpan.millisecondsRoundedUp)
    }

    /// Where a listing of `longestSpan` (ms) starts; see `listSince(now:longestSpan:)` on a `Duration`.
    func listSince(now: LocalInstant, longestSpan: Int64) -> ServerInstant {
        ServerOffset(remoteBehindBy: clockSkew).remote(now.advanced(byMilliseconds: -longestSpan))
    }

    /// Learns a lower bound of the server's lead: a server time and the instant (our clock) by
    /// which it had certainly been produced.
    mutating func observe(lead: ServerOffset) {
        offsetLow = max(offsetLow ?? ServerOffset(milliseconds: .min), lead)
    }

    /// Learns the server's clock from `listing` and returns its clones on our clock, erring later.
    public mutating func read(_ listing: AccountListing) -> [AccountClone] {
        if let lead = listing.serverLead { observe(lead: lead) }
        return listing.clones(offset: offset)
    }
}
