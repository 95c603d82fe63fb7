import Foundation

/// Streaming RFC 4180 reader over a file or in-memory bytes. Files are read in
/// fixed-size chunks, so memory use does not grow with the file.
///
/// A class because it owns an open file; it closes the file when released.
public final class CSVReader {
    private enum Source {
        case file(FileHandle)
        case memory([UInt8], offset: Int)
        case exhausted
    }

    /// The path used in error messages, if any.
    public let path: String?
    private var source: Source
    private let chunkSize: Int
    private var scanner: CSVScanner
    private var buffer: [UInt8] = []
    private var position = 0
    private var isFirstChunk = true
    private var finished = false
    private var failure: CSVError?

    /// Opens `path` for streaming; fails if the file is missing, a directory or unreadable.
    public convenience init(path: String) throws(CSVError) {
        try self.init(path: path, chunkSize: 64 * 1024)
    }

    /// Reads CSV from memory; `path` names the data in error messages.
    public convenience init(data: Data, path: String? = nil) {
        self.init(bytes: [UInt8](data), path: path, chunkSize: Int.max)
    }

    /// Reads CSV from a string; `path` names the data in error messages.
    public convenience init(string: String, path: String? = nil) {
        self.init(bytes: Array(string.utf8), path: path, chunkSize: Int.max)
    }

    /// `chunkSize` is adjustable so tests can place chunk boundaries anywhere.
    init(path: String, chunkSize: Int) throws(CSVError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .fileNotFound(path: path)
        }
        if isDirectory.boolValue {
            throw .unreadable(path: path, reason: "it is a directory, not a CSV file")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            let reason =
                FileManager.default.isReadableFile(atPath: path)
                ? "the file could not be opened" : "permission denied"
            throw .unreadable(path: path, reason: reason)
        }
        self.path = path
        self.source = .file(handle)
        self.chunkSize = max(1, chunkSize)
        self.scanner = CSVScanner(path: path)
    }

    init(bytes: [UInt8], path: String?, chunkSize: Int) {
        self.path = path
        self.source = .memory(bytes, offset: 0)
        self.chunkSize = max(1, chunkSize)
        self.scanner = CSVScanner(path: path)
    }

    deinit {
        if case .file(let handle) = source {
            try? handle.close()
        }
    }

    /// The next record (empty lines are skipped), or nil at the end of the input. After an error,
    /// every later call throws it again: the rest of the input cannot be trusted.
    public func next() throws(CSVError) -> CSVRecord? {
        if let failure { throw failure }
        do {
            return try readRecord()
        } catch {
            failure = error
            throw error
        }
    }

    private func readRecord() throws(CSVError) -> CSVRecord? {
        while !finished {
            if position < buffer.count {
                let record = try buffer.withUnsafeBufferPointer { bytes throws(CSVError) in
                    try scanner.scan(bytes, position: &position)
                }
                if let record { return record }
            } else if try !refill() {
                finished = true
                return try scanner.finish()
            }
        }
        return nil
    }

    /// Every remaining record; convenient for small inputs and tests.
    public func readAll() throws(CSVError) -> [CSVRecord] {
        var records: [CSVRecord] = []
        while let record = try next() {
            records.append(record)
        }
        return records
    }

    /// Loads the next chunk into `buffer`; false at the end of the input.
    private func refill() throws(CSVError) -> Bool {
        // The byte-order mark must be seen whole, so the first chunk holds at least 3 bytes
        // unless the input is shorter (reads from pipes may return fewer bytes).
        let minimum = isFirstChunk ? 3 : 1
        var chunk: [UInt8] = []
        while chunk.count < minimum, let more = try readChunk() {
            chunk += more
        }
        position = 0
        buffer = chunk
        if isFirstChunk {
            isFirstChunk = false
            if chunk.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        }
        return !chunk.isEmpty
    }

    private func readChunk() throws(CSVError) -> [UInt8]? {
        switch source {
        case .exhausted:
            return nil
        case .memory(let bytes, let offset):
            guard offset < bytes.count else {
                source = .exhausted
                return nil
            }
            if offset == 0, chunkSize >= bytes.count {
                source = .exhausted
                return bytes
            }
            let end = offset + min(chunkSize, bytes.count - offset)
            source = .memory(bytes, offset: end)
            return Array(bytes[offset..<end])
        case .file(let handle):
            let data: Data?
            do {
                data = try handle.read(upToCount: chunkSize)
            } catch {
                throw .unreadable(path: path ?? "input", reason: error.localizedDescription)
            }
            guard let data, !data.isEmpty else { return nil }
            return [UInt8](data)
        }
    }
}
