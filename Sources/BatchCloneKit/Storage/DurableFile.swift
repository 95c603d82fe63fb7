import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Crash-safe whole-file writes: temp file, fsync, rename, fsync of the folder.
///
/// After `write` returns, a crash leaves either the old or the new content, never a mix.
enum DurableFile {
    static func write(_ data: Data, to path: String) throws(StorageError) {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .unwritable(path: path, reason: lastErrorText()) }
        do throws(StorageError) {
            try writeAll(data, to: fd, path: path)
            guard fsync(fd) == 0 else { throw .unwritable(path: path, reason: lastErrorText()) }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let reason = lastErrorText()
            unlink(temporary)
            throw .unwritable(path: path, reason: reason)
        }
        syncFolder(of: path)
    }

    static func writeAll(_ data: Data, to fd: Int32, path: String) throws(StorageError) {
        let failure: String? = data.withUnsafeBytes { buffer -> String? in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return lastErrorText()
                }
                offset += written
            }
            return nil
        }
        if let failure { throw .unwritable(path: path, reason: failure) }
    }

    /// Makes a rename or a file creation durable.
    static func syncFolder(of path: String) {
        let folder = (path as NSString).deletingLastPathComponent
        let fd = open(folder.isEmpty ? "." : folder, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// Reads a whole file; nil when it does not exist.
    static func read(_ path: String) throws(StorageError) -> Data? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: "permission denied or not a regular file")
        }
        return data
    }

    /// Creates the folder that will hold `path`, with its parents.
    static func createFolder(for path: String) throws(StorageError) {
        let folder = (path as NSString).deletingLastPathComponent
        guard !folder.isEmpty else { return }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .unwritable(path: path, reason: "cannot create folder \(folder)")
        }
    }
}

func lastErrorText() -> String {
    String(cString: strerror(errno)).lowercased()
}
