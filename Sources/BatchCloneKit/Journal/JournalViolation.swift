/// Why an event cannot follow the journal so far: a tampered journal, or a bug.
public enum JournalViolation: Error, Sendable, Equatable, CustomStringConvertible {
    /// An event about a pool that no `listed` event introduced.
    case neverListed(pool: String)
    /// A `failed` event after the pool was done.
    case failedAfterDone(pool: String)
    /// A `requeued` event after the pool was done.
    case requeuedAfterDone(pool: String)
    /// Any other event that does not follow the pool's phase.
    case illegalTransition(event: JournalEvent, from: PoolPhase)

    public var description: String {
        switch self {
        case .neverListed(let pool): "pool \(pool) was never listed"
        case .failedAfterDone(let pool): "pool \(pool) failed after it was done"
        case .requeuedAfterDone(let pool): "pool \(pool) requeued after it was done"
        case .illegalTransition(let event, let phase): "event \(event) does not follow \(phase) for pool \(event.pool)"
        }
    }
}
