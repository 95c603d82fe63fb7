/// A pool ID written with leading zeros at `line`, read as the canonical `id` (`0123` as `123`).
public struct PoolIDRewrite: Sendable, Equatable {
    /// The ID as the CSV spells it.
    public var written: String
    /// The canonical ID used for cloning, matching and duplicate detection.
    public var id: String
    /// The 1-based physical line where the row starts.
    public var line: Int

    /// Creates a rewrite entry.
    public init(written: String, id: String, line: Int) {
        self.written = written
        self.id = id
        self.line = line
    }
}
