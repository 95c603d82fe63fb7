/// An own send as the ledger keeps it until its operation is known: the granted instant and what
/// it clones, so that only this send's own answer (or a reconciliation of its source) links it.
public struct OwnSend: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The instant the slot was granted, epoch ms on the store's clock.
    public var intent: Int64
    /// The ID of what is cloned (a pool ID today).
    public var source: String
    /// The kind of what is cloned: `pool` today, `training` next.
    public var target: String

    /// The target of every send today.
    public static let poolTarget = CloneTarget.pool.name

    public init(intent: Int64, source: String, target: String = OwnSend.poolTarget) {
        self.intent = intent
        self.source = source
        self.target = target
    }

    public static func < (left: OwnSend, right: OwnSend) -> Bool {
        (left.intent, left.target, left.source) < (right.intent, right.target, right.source)
    }

    public var description: String { "\(target) \(source) at \(intent)" }
}
