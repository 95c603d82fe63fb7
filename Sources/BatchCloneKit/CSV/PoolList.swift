/// The pool IDs read from a CSV file.
public struct PoolList: Sendable, Equatable {
    /// Distinct canonical pool IDs in first-seen order (leading zeros stripped, see `strippedZeros`).
    public var poolIDs: [String]
    /// Every repeat of an ID seen earlier; repeats are reported, not cloned twice.
    public var duplicates: [PoolDuplicate]
    /// The header name of the column used, or nil when the file has no header.
    public var column: String?
    /// Every row whose ID was written with leading zeros, in file order; each deserves a warning.
    public var strippedZeros: [PoolIDRewrite]

    /// Creates a pool list.
    public init(
        poolIDs: [String],
        duplicates: [PoolDuplicate] = [],
        column: String? = nil,
        strippedZeros: [PoolIDRewrite] = []
    ) {
        self.poolIDs = poolIDs
        self.duplicates = duplicates
        self.column = column
        self.strippedZeros = strippedZeros
    }

    /// The work items the list asks for: one clone of each pool.
    public var items: [WorkItem] { poolIDs.map { WorkItem(.pool, source: $0) } }
}
