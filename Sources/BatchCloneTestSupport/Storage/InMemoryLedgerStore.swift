import BatchCloneKit
import Synchronization

/// A ledger store in memory, for tests: one process, no file and no lock, so it cannot share sends
/// with another run the way `FileLedgerStore` does.
public final class InMemoryLedgerStore: LedgerStore, SlotLedger {
    private let state: Mutex<SendLog>
    public let ledgerLog: LedgerLog

    /// A store holding `log` of `target`'s clones.
    public convenience init(_ log: SendLog = SendLog(), target: CloneTarget = .pool) {
        self.init(log, ledgerLog: .clones(of: target))
    }

    /// A store holding `log` as `ledgerLog`.
    public init(_ log: SendLog = SendLog(), ledgerLog: LedgerLog) {
        state = Mutex(log)
        self.ledgerLog = ledgerLog
    }

    public func update<T>(_ body: (inout SendLog) throws -> T) throws -> T {
        try state.withLock { log in try body(&log) }
    }
}
