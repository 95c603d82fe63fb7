extension FileLedgerStore: SlotLedger {
    /// Read without the lock and without creating the file: status and plans never block a run.
    public func snapshot(now: LocalInstant) throws -> (log: SendLog, now: LedgerInstant) {
        (try peek(), .sameClock(now))
    }
}
