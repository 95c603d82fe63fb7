extension FileLedgerStore: SlotLedger {
    /// Read without the lock and without creating the file: status and plans never block a run.
    public func snapshot(now: Int64) throws -> (log: SendLog, now: Int64) {
        (try peek(), now)
    }
}
