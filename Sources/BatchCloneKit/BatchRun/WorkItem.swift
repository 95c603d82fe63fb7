/// One clone a batch owes: which target, which source, which copy of it.
///
/// The identity of the run's state, results and reports; the journal keys a pool's first copy by
/// its bare ID, so journals written before work items existed still resume.
public struct WorkItem: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var target: CloneTarget
    /// The ID of the pool (or training) to clone, canonical.
    public var source: String
    /// Which copy of the source, from 1.
    public var copy: Int

    /// Copy `copy` of `source`.
    public init(_ target: CloneTarget = .pool, source: String, copy: Int = 1) {
        self.target = target
        self.source = source
        self.copy = copy
    }

    /// "pool 123", "pool 123 (copy 2)".
    public var description: String {
        copy == 1 ? "\(target.name) \(source)" : "\(target.name) \(source) (copy \(copy))"
    }

    public static func < (lhs: WorkItem, rhs: WorkItem) -> Bool {
        (lhs.target, lhs.source, lhs.copy) < (rhs.target, rhs.source, rhs.copy)
    }
}
