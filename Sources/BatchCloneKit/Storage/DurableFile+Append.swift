import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension DurableFile {
    /// Appends `data` to the existing file at `path` and fsyncs it; returns the file's identity after.
    ///
    /// A crash can leave only a prefix of `data` at the end: readers drop an unterminated last line.
    static func append(_ data: Data, to path: String) throws(StorageError) -> FileIdentity {
        let fd = systemOpen(path, O_WRONLY | O_APPEND | O_CLOEXEC, 0)
        guard fd >= 0 else { throw .unwritable(path: path, reason: lastErrorText()) }
        defer { systemClose(fd) }
        try writeAll(data, to: fd, path: path)
        guard fsync(fd) == 0 else { throw .unwritable(path: path, reason: lastErrorText()) }
        return try FileIdentity.of(fd: fd, path: path)
    }

    /// Opens `path` for reading; nil when it does not exist.
    static func openForReading(_ path: String) throws(StorageError) -> Int32? {
        let fd = systemOpen(path, O_RDONLY | O_CLOEXEC, 0)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw .unreadable(path: path, reason: lastErrorText())
        }
        return fd
    }

    /// Reads `count` bytes at `offset` of `fd`, fewer only at the end of the file.
    static func read(_ fd: Int32, offset: Int, count: Int, path: String) throws(StorageError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let result = bytes.withUnsafeMutableBytes { buffer in
                pread(fd, buffer.baseAddress! + done, count - done, off_t(offset + done))
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: lastErrorText())
            }
            if result == 0 { break }
            done += result
        }
        bytes.removeLast(count - done)
        return bytes
    }
}
