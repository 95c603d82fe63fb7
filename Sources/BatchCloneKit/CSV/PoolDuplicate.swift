/// A pool ID that appears again at `line` after first appearing at `firstLine`.
public struct PoolDuplicate: Sendable, Equatable {
    public var id: String
    public var line: Int
    public var firstLine: Int

    /// Creates a duplicate entry.
    public init(id: String, line: Int, firstLine: Int) {
        self.id = id
        self.line = line
        self.firstLine = firstLine
    }
}
