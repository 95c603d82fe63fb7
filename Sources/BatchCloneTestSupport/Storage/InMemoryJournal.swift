import BatchCloneKit
import Synchronization

/// A journal that keeps its events in memory, for tests: nothing is durable and nothing is checked,
/// so a test can read back exactly what a run appended, in order.
public final class InMemoryJournal: JournalWriter {
    private let storage = Mutex<[JournalEvent]>([])

    /// An empty journal.
    public init() {}

    /// Everything appended so far, in order.
    public var events: [JournalEvent] { storage.withLock { $0 } }

    public func append(_ events: [JournalEvent]) throws {
        storage.withLock { $0.append(contentsOf: events) }
    }
}
