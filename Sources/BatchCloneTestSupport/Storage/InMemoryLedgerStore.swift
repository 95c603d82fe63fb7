import BatchCloneKit
import Synchronization

/// A ledger store in memory, for tests: one process, no file and no lock, so it cannot share sends
/// with another run the way `FileLedgerStore` does.
public final class InMemoryLedgerStore: LedgerStore, SlotLedger {
    private let state: Mutex<SendLog>
    public let target: CloneTarget

    /// A store holding `log` of `target`'s clones.
    public init(_ log: SendLog = SendLog(), target: CloneTarget = .pool) {
        state = Mutex(log)
        self.target = target
    }

    public func update<T>(_ body: (inout SendLog) throws -> T) throws -> T {
        try state.withLock { log in try body(&log) }
    }
}
