import Foundation

/// One page of `GET /operations`.
public struct OperationPage: Sendable, Equatable, Decodable {
    public var items: [TolokaOperation]
    public var hasMore: Bool
    /// The server's clock when it answered (its `Date` header, whole seconds), if given.
    public var serverDate: ServerInstant?
    /// Our clock when the answer arrived, set by the client with `serverDate`.
    public var receivedAt: LocalInstant?

    public init(
        items: [TolokaOperation],
        hasMore: Bool,
        serverDate: ServerInstant? = nil,
        receivedAt: LocalInstant? = nil
    ) {
        self.items = items
        self.hasMore = hasMore
        self.serverDate = serverDate
        self.receivedAt = receivedAt
    }

    private enum CodingKeys: String, CodingKey {
        case items
        case hasMore = "has_more"
    }
}
