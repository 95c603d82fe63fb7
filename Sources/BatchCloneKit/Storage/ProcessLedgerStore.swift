import Synchronization

/// A log kept in this process only: what a run uses when it is given no shared store for a log.
final class ProcessLedgerStore: LedgerStore, SlotLedger {
    private let state = Mutex(SendLog())
    let ledgerLog: LedgerLog

    init(_ ledgerLog: LedgerLog) {
        self.ledgerLog = ledgerLog
    }

    func update<T>(_ body: (inout SendLog) throws -> T) throws -> T {
        try state.withLock { log in try body(&log) }
    }
}
