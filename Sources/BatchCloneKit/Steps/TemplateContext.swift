import JSONValue

/// What the placeholders of one work item's templates read.
public struct TemplateContext: Sendable, Equatable {
    /// The source object (`GET /pools/{source}`), when it was read.
    public var source: JSONValue?
    public var copy: Int
    /// The item's CSV row, by column name.
    public var row: [String: String]
    /// Now (epoch ms, UTC) for `{date}` and `+DURATION`.
    public var now: Int64

    public init(source: JSONValue? = nil, copy: Int = 1, row: [String: String] = [:], now: Int64) {
        self.source = source
        self.copy = copy
        self.row = row
        self.now = now
    }
}
