import Synchronization

/// Where a run makes its events durable; `JournalFile` on disk, `InMemoryJournal` in tests.
public protocol JournalWriter: Sendable {
    /// Appends events durably; they count only once this returns.
    func append(_ events: [JournalEvent]) throws
}

extension JournalFile: JournalWriter {}

/// A journal in memory, for tests and benchmarks.
public final class InMemoryJournal: JournalWriter {
    private let storage = Mutex<[JournalEvent]>([])

    public init() {}

    /// Everything appended so far.
    public var events: [JournalEvent] { storage.withLock { $0 } }

    public func append(_ events: [JournalEvent]) throws {
        storage.withLock { $0.append(contentsOf: events) }
    }
}
