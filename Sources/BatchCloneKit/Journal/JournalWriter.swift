/// Where a run makes its events durable: `JournalFile` on disk (tests use `BatchCloneTestSupport`'s `InMemoryJournal`).
public protocol JournalWriter: Sendable {
    /// Appends events durably; they count only once this returns.
    func append(_ events: [JournalEvent]) throws
}

extension JournalFile: JournalWriter {}
