import Synchronization

/// A ledger store in memory, for tests, benchmarks and the simulator rehearsal.
public final class InMemoryLedgerStore: LedgerStore {
    private let state: Mutex<SendLog>

    /// A store holding `log`.
    public init(_ log: SendLog = SendLog()) {
        state = Mutex(log)
    }

    public func update<T>(_ body: (inout SendLog) throws -> T) throws -> T {
        try state.withLock { log in try body(&log) }
    }
}
