import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The batch's journal: an append-only file of JSON lines, each written before it counts; an
/// intent is fsync'd with all before it (`JournalDurability`), and close fsyncs the rest.
///
/// The first line names the format. A torn last line (a crash mid-write) is dropped on open;
/// any other damage is an error and the file is left as it is. One process at a time: `flock`.
public final class JournalFile: Sendable {
    /// The journal's path.
    public let path: String
    private let fd: Int32
    /// The fsyncs of appends and close: what tests read to see that outcomes are not synced one by one.
    private let syncs = Mutex(0)
    var syncCount: Int { syncs.withLock { $0 } }

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    static let header = #"{"format":"batch-clone-journal","version":1}"#

    /// Opens (or creates) the journal for appending, locked; returns it with the state it holds.
    public static func open(path: String) throws -> (JournalFile, JournalState) {
        try DurableFile.createFolder(for: path)
        let existed = FileManager.default.fileExists(atPath: path)
        let fd = systemOpen(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StorageError.unwritable(path: path, reason: lastErrorText()) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            systemClose(fd)
            throw StorageError.locked(path: path)
        }
        do {
            let data = try readAll(fd: fd, path: path)
            // A crash while the header was being written leaves a prefix of it: a journal with no events.
            if data.isEmpty || (!data.contains(10) && Data(header.utf8).starts(with: data)) {
                guard ftruncate(fd, 0) == 0, lseek(fd, 0, SEEK_SET) == 0 else {
                    throw StorageError.unwritable(path: path, reason: lastErrorText())
                }
                try DurableFile.writeAll(Data((header + "\n").utf8), to: fd, path: path)
                guard fsync(fd) == 0 else { throw StorageError.unwritable(path: path, reason: lastErrorText()) }
                if !existed { DurableFile.syncFolder(of: path) }
                return (JournalFile(path: path, fd: fd), JournalState())
            }
            let (state, validLength) = try parse(data, path: path)
            if validLength < data.count {
                // A crash tore the last line: cut it so the next append starts on a clean line.
                guard ftruncate(fd, off_t(validLength)) == 0, fsync(fd) == 0 else {
                    throw StorageError.unwritable(path: path, reason: lastErrorText())
                }
            }
            lseek(fd, 0, SEEK_END)
            return (JournalFile(path: path, fd: fd), state)
        } catch {
            systemClose(fd)
            throw error
        }
    }

    /// Reads a journal without locking or changing it (for plans); nil when there is none.
    public static func peek(path: String) throws -> JournalState? {
        guard let data = try DurableFile.read(path) else { return nil }
        if data.isEmpty { return JournalState() }
        return try parse(data, path: path).state
    }

    /// Appends events, which count once this returns; `.synced` puts them on disk first, with every
    /// event written before them.
    public func append(_ events: [JournalEvent], durability: JournalDurability) throws {
        var data = Data()
        for event in events {
            data.append(event.jsonLine())
            data.append(10)
        }
        try DurableFile.writeAll(data, to: fd, path: path)
        if durability == .synced { try sync() }
    }

    /// Syncs what was written and releases the lock.
    ///
    /// A failed sync here is not an error of the run: what it leaves unsynced are outcomes that the
    /// server keeps, which the next run learns again.
    public func close() {
        try? sync()
        flock(fd, LOCK_UN)
        systemClose(fd)
    }

    private func sync() throws {
        syncs.withLock { $0 += 1 }
        guard fsync(fd) == 0 else { throw StorageError.unwritable(path: path, reason: lastErrorText()) }
    }

    static func parse(_ data: Data, path: String) throws(StorageError) -> (state: JournalState, validLength: Int) {
        var state = JournalState()
        var lineNumber = 0
        var start = data.startIndex
        var validLength = 0
        while start < data.endIndex {
            lineNumber += 1
            let newline = data[start...].firstIndex(of: 10)
            let end = newline ?? data.endIndex
            let line = data[start..<end]
            if newline == nil {
                // No newline: the write of this line never completed.
                break
            }
            if lineNumber == 1 {
                guard let header = try? JSONSerialization.jsonObject(with: line) as? [String: Any],
                    header["format"] as? String == "batch-clone-journal"
                else { throw .corrupt(path: path, reason: "line 1 is not a batch-clone journal header") }
                guard header["version"] as? Int == 1 else {
                    throw .corrupt(path: path, reason: "unsupported journal version; this batch-clone reads version 1")
                }
            } else if !line.isEmpty {
                guard let event = JournalEvent(jsonLine: Data(line)) else {
                    throw .corrupt(path: path, reason: "line \(lineNumber) is not a journal event")
                }
                if let violation = state.apply(event) {
                    throw .corrupt(path: path, reason: "line \(lineNumber): \(violation)")
                }
            }
            start = data.index(after: end)
            validLength = data.distance(from: data.startIndex, to: start)
        }
        if lineNumber == 1 && validLength == 0 {
            throw .corrupt(path: path, reason: "line 1 is not a batch-clone journal header")
        }
        return (state, validLength)
    }

    private static func readAll(fd: Int32, path: String) throws(StorageError) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        lseek(fd, 0, SEEK_SET)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: lastErrorText())
            }
            if count == 0 { break }
            data.append(contentsOf: buffer[0..<count])
        }
        return data
    }
}
