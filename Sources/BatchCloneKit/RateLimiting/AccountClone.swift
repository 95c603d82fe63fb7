/// A clone the account's operation list shows, at its submit time converted to our clock.
public struct AccountClone: Sendable, Hashable {
    public var operationID: String
    /// Epoch ms on our clock, erring later.
    public var time: Int64

    public init(operationID: String, time: Int64) {
        self.operationID = operationID
        self.time = time
    }
}
