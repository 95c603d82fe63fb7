/// The pool IDs read from a CSV file.
public struct PoolList: Sendable, Equatable {
    /// Distinct pool IDs in first-seen order, exactly as written (leading zeros kept).
    public var poolIDs: [String]
    /// Every repeat of an ID seen earlier; repeats are reported, not cloned twice.
    public var duplicates: [PoolDuplicate]
    /// The header name of the column used, or nil when the file has no header.
    public var column: String?

    /// Creates a pool list.
    public init(poolIDs: [String], duplicates: [PoolDuplicate] = [], column: String? = nil) {
        self.poolIDs = poolIDs
        self.duplicates = duplicates
        self.column = column
    }
}
