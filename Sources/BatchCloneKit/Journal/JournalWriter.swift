/// Where a run makes its events durable: `JournalFile` on disk (tests use `BatchCloneTestSupport`'s `InMemoryJournal`).
public protocol JournalWriter: Sendable {
    /// Appends events; they count once this returns, and are on disk by then when `durability` is `.synced`.
    func append(_ events: [JournalEvent], durability: JournalDurability) throws
}

extension JournalWriter {
    /// Appends events and syncs them: they are on disk once this returns.
    public func append(_ events: [JournalEvent]) throws {
        try append(events, durability: .synced)
    }
}

extension JournalFile: JournalWriter {}
