/// A clone the account's operation list shows, at its submit time converted to our clock.
public struct AccountClone: Sendable, Hashable {
    public var operationID: String
    /// Epoch ms on our clock, erring later.
    public var time: Int64

    /// How far after a listed clone an unlinked own send may be recorded and still be claimed by it:
    /// converted times err later by at most about a second (the `Date` header's resolution).
    public static let claimAfter: Int64 = 1000

    public init(operationID: String, time: Int64) {
        self.operationID = operationID
        self.time = time
    }
}
