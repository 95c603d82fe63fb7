/// A clone the account's operation list shows, at its submit time converted to our clock.
public struct AccountClone: Sendable, Hashable {
    public var operationID: String
    /// The submit time on our clock, erring later.
    public var time: LocalInstant
    /// The ID of what was cloned (the operation's `parameters.pool_id`), when the list said.
    public var source: String?
    /// The kind of what was cloned: `pool` for `POOL.CLONE`.
    public var target: String

    public init(operationID: String, time: LocalInstant, source: String? = nil, target: String = OwnSend.poolTarget) {
        self.operationID = operationID
        self.time = time
        self.source = source
        self.target = target
    }

    /// `<target>:<source>` with a pool ID in canonical form, as own sends are recorded; nil without a source.
    var sourceKey: String? {
        source.map { target + ":" + (target == OwnSend.poolTarget ? PoolID.canonical($0) : $0) }
    }
}
