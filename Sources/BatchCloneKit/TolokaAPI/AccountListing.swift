/// The account's clone operations as one listing read them.
public struct AccountListing: Sendable, Equatable {
    public var operations: [TolokaOperation]
    /// The server's `Date` and our clock when it arrived, from the last page that had one.
    public var serverDate: ServerInstant?
    public var receivedAt: LocalInstant?
    /// Pages read, and whether the list still said `has_more` when the reader gave up.
    public var pages: Int = 1
    public var truncated = false

    public init(
        operations: [TolokaOperation],
        serverDate: ServerInstant? = nil,
        receivedAt: LocalInstant? = nil,
        pages: Int = 1,
        truncated: Bool = false
    ) {
        self.operations = operations
        self.serverDate = serverDate
        self.receivedAt = receivedAt
        self.pages = pages
        self.truncated = truncated
    }

    /// A lower bound of the server's clock minus ours from the `Date` header: the header is whole
    /// seconds (floored) and was written before the answer arrived.
    public var serverLead: ServerOffset? {
        guard let serverDate, let receivedAt else { return nil }
        return ServerOffset(remote: serverDate, readBy: receivedAt)
    }

    /// The clones with a submit time, on our clock through `offset` (a lower bound of the server's
    /// lead), so that each lands no earlier than it really arrived.
    public func clones(offset: ServerOffset) -> [AccountClone] {
        operations.compactMap { operation in
            guard let target = CloneTarget.cloning(operationType: operation.type), let submitted = operation.submitted
            else { return nil }
            return AccountClone(
                operationID: operation.id,
                time: offset.local(submitted),
                source: operation.sourcePoolID,
                target: target.name
            )
        }
    }
}
