import Foundation

/// One page of `GET /operations`.
public struct OperationPage: Sendable, Equatable, Decodable {
    public var items: [TolokaOperation]
    public var hasMore: Bool
    /// The server's clock when it answered (its `Date` header, whole seconds, epoch ms), if given.
    public var serverDate: Int64?
    /// Our clock when the answer arrived (epoch ms), set by the client with `serverDate`.
    public var receivedAt: Int64?

    public init(items: [TolokaOperation], hasMore: Bool, serverDate: Int64? = nil, receivedAt: Int64? = nil) {
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
