/// Where the shared send log lives; every access is exclusive across threads and processes.
public protocol LedgerStore: Sendable {
    /// Runs `body` on the current log under an exclusive lock and persists it durably if changed.
    func update<T>(_ body: (inout SendLog) throws -> T) throws -> T
}

extension LedgerStore {
    /// The current log, read under the lock.
    public func read() throws -> SendLog {
        try update { $0.unrecorded }
    }
}
