/// One log in the shared ledger (the state file, a Redis namespace): a target's clones, or the
/// account's overlap edits. Each is limited apart, so each counts only its own entries.
public struct LedgerLog: Sendable, Hashable, CustomStringConvertible {
    /// Its name in the state file's lines and Redis keys ("pool", "training", "overlap-edit").
    public let name: String
    /// The target whose clones it counts; nil for a log of other requests.
    public let cloneTarget: CloneTarget?

    /// The log of `target`'s clones, named as the target (the formats of versions before other logs).
    public static func clones(of target: CloneTarget) -> LedgerLog {
        LedgerLog(name: target.name, cloneTarget: target)
    }

    /// Edits that change an overlap value, which the API limits per account apart from clones.
    public static let overlapEdits = LedgerLog(name: "overlap-edit", cloneTarget: nil)

    public var description: String { name }
}
