/// What the run knows of a 429, until a window passes without another.
///
/// A probe accepted does not end it: clones nobody can see may leave the window one by one, and a
/// refusal soon after goes on probing at the spacing reached rather than starting over.
struct RateLimitEpisode: Sendable, Equatable {
    /// The window a 429's `payload.interval` names, as the run models it.
    struct Window: Sendable, Equatable {
        /// The configured limit, when one stands for the name.
        var limit: RateLimitLedger.EffectiveLimit?
        /// The window's length (ms), without margin.
        var length: Int64
    }

    enum Phase: Sendable, Equatable {
        /// The account's clones are being listed; the block follows from the merged ledger.
        case listing
        /// The shared ledger is blocked (or a slot was known at once).
        case blocked(ServerBlock)
    }

    /// The work item whose clone met the first 429, for the block's report.
    var item: WorkItem
    var interval: String?
    var window: Window
    /// 429s met in this episode.
    var refusals: Int
    /// When the last of them came (our clock).
    var lastRefusal: Int64
    var phase: Phase

    var block: ServerBlock? {
        if case .blocked(let block) = phase { block } else { nil }
    }

    /// The spacing before probe `number` (1-based): window/64, doubling, at most window/4.
    static func probeStep(number: Int, window: Int64) -> Int64 {
        let shift = min(max(0, number - 1), 4)
        return max(1, min(window / 4, (window << shift) / 64))
    }
}
