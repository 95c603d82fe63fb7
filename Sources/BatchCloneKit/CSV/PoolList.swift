/// The source IDs read from a CSV file, with what they are and how many copies of each are asked.
public struct PoolList: Sendable, Equatable {
    /// Distinct canonical source IDs in first-seen order (leading zeros stripped, see `strippedZeros`).
    public var poolIDs: [String]
    /// Every repeat of an ID seen earlier; repeats are reported, not cloned again.
    public var duplicates: [PoolDuplicate]
    /// The header name of the column used, or nil when the file has no header.
    public var column: String?
    /// Every row whose ID was written with leading zeros, in file order; each deserves a warning.
    public var strippedZeros: [PoolIDRewrite]
    /// What the IDs name: pools, or trainings (a `training_id` column, or `--target`).
    public var target: CloneTarget
    /// The copies asked of each source whose row says other than `defaultCopies` (its `copies` cell).
    public var copies: [String: Int]
    /// The copies of a source whose row says nothing: 1, or `--copies`.
    public var defaultCopies: Int

    /// Creates a pool list.
    public init(
        poolIDs: [String],
        duplicates: [PoolDuplicate] = [],
        column: String? = nil,
        strippedZeros: [PoolIDRewrite] = [],
        target: CloneTarget = .pool,
        copies: [String: Int] = [:],
        defaultCopies: Int = 1
    ) {
        self.poolIDs = poolIDs
        self.duplicates = duplicates
        self.column = column
        self.strippedZeros = strippedZeros
        self.target = target
        self.copies = copies
        self.defaultCopies = defaultCopies
    }

    /// How many clones of `source` the list asks for.
    public func copies(of source: String) -> Int {
        copies[source] ?? defaultCopies
    }

    /// `--copies N`: every source is cloned `count` times, whatever its row says.
    public mutating func setCopies(_ count: Int) {
        copies = [:]
        defaultCopies = count
    }

    /// The work items the list asks for: copies 1...N of each source, in CSV order.
    public var items: [WorkItem] {
        var items: [WorkItem] = []
        items.reserveCapacity(poolIDs.count)
        forEachItem { items.append($0) }
        return items
    }

    /// Calls `body` with each work item in order, made one at a time (a plan of 100,000 rows keeps none).
    public func forEachItem(_ body: (WorkItem) throws -> Void) rethrows {
        for source in poolIDs {
            for copy in 1...max(1, copies(of: source)) {
                try body(WorkItem(target, source: source, copy: copy))
            }
        }
    }
}
