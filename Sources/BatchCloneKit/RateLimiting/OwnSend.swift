/// An own send as the ledger keeps it until its operation is known: the granted instant and what
/// it clones, so that only this send's own answer (or a reconciliation of its source) links it.
public struct OwnSend: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The instant the slot was granted, epoch ms on the store's clock (the stored form of `intent`).
    var intentMilliseconds: Int64
    /// The ID of what is cloned (a pool ID today).
    public var source: String
    /// The kind of what is cloned: `pool` today, `training` next.
    public var target: String

    /// The target of every send today.
    public static let poolTarget = CloneTarget.pool.name

    /// The instant the slot was granted, on the store's clock.
    public var intent: LedgerInstant {
        get { LedgerInstant(epochMilliseconds: intentMilliseconds) }
        set { intentMilliseconds = newValue.epochMilliseconds }
    }

    public init(intent: LedgerInstant, source: String, target: String = OwnSend.poolTarget) {
        self.init(intent: intent.epochMilliseconds, source: source, target: target)
    }

    /// An own send granted at `intent`, epoch ms on the store's clock.
    init(intent: Int64, source: String, target: String = OwnSend.poolTarget) {
        self.intentMilliseconds = intent
        self.source = source
        self.target = target
    }

    public static func < (left: OwnSend, right: OwnSend) -> Bool {
        (left.intentMilliseconds, left.target, left.source) < (right.intentMilliseconds, right.target, right.source)
    }

    public var description: String { "\(target) \(source) at \(intentMilliseconds)" }
}
