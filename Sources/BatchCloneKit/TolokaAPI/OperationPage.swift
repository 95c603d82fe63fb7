import Foundation

/// One page of `GET /operations`.
public struct OperationPage: Sendable, Equatable, Decodable {
    public var items: [TolokaOperation]
    public var hasMore: Bool

    public init(items: [TolokaOperation], hasMore: Bool) {
        self.items = items
        self.hasMore = hasMore
    }

    private enum CodingKeys: String, CodingKey {
        case items
        case hasMore = "has_more"
    }
}
