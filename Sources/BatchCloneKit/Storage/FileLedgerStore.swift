import Foundation
import Synchronization

/// The send log in a state file shared by every run on the account, locked through `<path>.lock`.
///
/// An update appends one line (`LedgerChange`) and fsyncs it; the whole file is rewritten only when
/// it grew well past its live content, so a send costs the same however many sends are kept. Each
/// log (a target's clones, overlap edits) is kept apart in the file; a store reads and changes its `ledgerLog`.
public struct FileLedgerStore: LedgerStore {
    /// The state file's path.
    public let path: String
    /// Which log this store reads and changes.
    public let ledgerLog: LedgerLog
    private let cache: Cache

    /// The log as this store last read or wrote it, valid while the file keeps `identity`.
    private final class Cache: Sendable {
        let state = Mutex<(file: LedgerFile, identity: FileIdentity)?>(nil)
    }

    /// A store of `target`'s log at `path`; its folder is created on first write.
    public init(path: String, target: CloneTarget = .pool) {
        self.init(path: path, log: .clones(of: target), cache: Cache())
    }

    /// A store of `log` at `path`.
    public init(path: String, log: LedgerLog) {
        self.init(path: path, log: log, cache: Cache())
    }

    private init(path: String, log: LedgerLog, cache: Cache) {
        self.path = path
        self.ledgerLog = log
        self.cache = cache
    }

    /// The same file's log of `target`, sharing what this store has read.
    public func scoped(to target: CloneTarget) -> FileLedgerStore {
        scoped(to: .clones(of: target))
    }

    /// The same file's `log`, sharing what this store has read.
    public func scoped(to log: LedgerLog) -> FileLedgerStore {
        FileLedgerStore(path: path, log: log, cache: cache)
    }

    public func update<T>(_ body: (inout SendLog) throws -> T) throws -> T {
        try DurableFile.createFolder(for: path)
        guard let lock = try FileLock.acquire(path + ".lock", wait: true) else {
            throw StorageError.locked(path: path)
        }
        defer { lock.release() }
        // The log is taken out of the cache, so that it has one owner and changes in place: a copy
        // kept aside would make the first mutation copy every send and operation it holds.
        var current = try loadLocked()
        var log = current?.file.logs[ledgerLog.name] ?? SendLog()
        current?.file.logs[ledgerLog.name] = nil
        let session = log.startRecording()
        // A body that throws leaves the cache empty: the next update reads the file again.
        let result = try body(&log)
        // A body that assigned a log of its own (tests seeding a store) recorded nothing: rewrite.
        let replaced = log.recording.session != session
        let change = log.takeRecordedChange()
        if replaced && (current != nil || log != SendLog()) {
            try persist(log, nil, over: current?.file)
        } else if !change.isEmpty {
            try persist(log, change, over: current?.file)
        } else if var current {
            current.file.logs[ledgerLog.name] = log
            cache.state.withLock { $0 = current }
        }
        return result
    }

    /// The file under the lock, taken out of the cache: the cached log when the file is still the
    /// one we last saw, plus any lines another process appended since; a full read otherwise.
    private func loadLocked() throws(StorageError) -> (file: LedgerFile, identity: FileIdentity)? {
        let cached = cache.state.withLock { state in
            let cached = state
            state = nil
            return cached
        }
        guard let fd = try DurableFile.openForReading(path) else { return nil }
        defer { systemClose(fd) }
        let identity = try FileIdentity.of(fd: fd, path: path)
        if var cached, cached.file.version == 2, !cached.file.torn,
            cached.identity.isSameFile(as: identity),
            try DurableFile.read(fd, offset: 0, count: cached.file.header.count, path: path) == cached.file.header
        {
            // Same generation (a compaction writes a new header): unchanged, or grown by appends.
            if identity == cached.identity { return cached }
            if identity.size > cached.file.length {
                let tail = try DurableFile.read(
                    fd,
                    offset: cached.file.length,
                    count: identity.size - cached.file.length,
                    path: path
                )
                try cached.file.appendLines(tail[...], path: path)
                cached.identity = identity
                return cached
            }
            // Changed without growing (an edit in place): read in full.
        }
        let bytes = try DurableFile.read(fd, offset: 0, count: identity.size, path: path)
        return (try LedgerFile.decode(Data(bytes), path: path), identity)
    }

    /// Appends `change` (what the update changed in `log`), or compacts the file, every target's log
    /// in it, when it grew well past its live content or the change is unknown; the cache holds the
    /// result only once it is durable.
    private func persist(_ log: SendLog, _ change: LedgerChange?, over current: LedgerFile?) throws(StorageError) {
        var logs = current?.logs ?? [:]
        logs[ledgerLog.name] = log
        if var change, let current, current.version == 2, !current.torn,
            current.length <= 2 * LedgerFile.estimatedSize(of: logs) + Self.compactionSlack
        {
            change.target = ledgerLog.name
            let line = Data(change.line().utf8)
            let identity = try DurableFile.append(line, to: path)
            var file = current
            file.logs = logs
            file.length += line.count
            file.lines += 1
            cache.state.withLock { $0 = (file, identity) }
            return
        }
        let data = LedgerFile.encode(logs, generation: DurableFile.randomTemporaryName())
        try DurableFile.write(data, to: path)
        guard let fd = try DurableFile.openForReading(path) else { return }
        defer { systemClose(fd) }
        let identity = try FileIdentity.of(fd: fd, path: path)
        guard identity.size == data.count else { return }
        let header = Array(data.prefix { $0 != 0x0A }) + [0x0A]
        let lines = data.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        let file = LedgerFile(logs: logs, version: 2, header: header, length: data.count, torn: false, lines: lines)
        cache.state.withLock { $0 = (file, identity) }
    }

    /// Appended bytes allowed beyond twice the live content before a compaction rewrites the file.
    static let compactionSlack = 16_384

    /// A file holding only the pools' log, freshly compacted (version 2).
    static func encode(_ log: SendLog) -> Data {
        LedgerFile.encode([OwnSend.poolTarget: log], generation: DurableFile.randomTemporaryName())
    }

    /// The pools' log in a file's content.
    static func decode(_ data: Data, path: String) throws(StorageError) -> SendLog {
        try LedgerFile.decode(data, path: path).logs[OwnSend.poolTarget] ?? SendLog()
    }
}

extension FileLedgerStore {
    /// Reads the log without locking or creating anything (for plans and status); empty when absent.
    public func peek() throws -> SendLog {
        guard let data = try DurableFile.read(path) else { return SendLog() }
        return try LedgerFile.decode(data, path: path).logs[ledgerLog.name] ?? SendLog()
    }
}
