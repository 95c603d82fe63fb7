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
    /// Replaces `path` with `data`. The temporary file beside it gets a fresh unpredictable name and
    /// is created exclusively without following links, so a link planted in a shared folder is never
    /// written through; `mode` (0600 for state, before the umask) is what the file ends with.
    static func write(
        _ data: Data,
        to path: String,
        mode: mode_t = 0o600,
        temporaryName: () -> String = randomTemporaryName
    ) throws(StorageError) {
        let (fd, temporary) = try createTemporary(beside: path, mode: mode, name: temporaryName)
        do throws(StorageError) {
            try writeAll(data, to: fd, path: path)
            guard fsync(fd) == 0 else { throw .unwritable(path: path, reason: lastErrorText()) }
        } catch {
            systemClose(fd)
            unlink(temporary)
            throw error
        }
        systemClose(fd)
        guard rename(temporary, path) == 0 else {
            let reason = lastErrorText()
            unlink(temporary)
            throw .unwritable(path: path, reason: reason)
        }
        syncFolder(of: path)
    }

    /// Opens a new file `<path>.tmp-<name>` that did not exist before; a taken name is skipped.
    static func createTemporary(
        beside path: String,
        mode: mode_t,
        name: () -> String
    ) throws(StorageError) -> (fd: Int32, path: String) {
        for _ in 0..<8 {
            let temporary = path + ".tmp-" + name()
            do {
                let fd = try systemCall { open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode) }
                return (fd, temporary)
            } catch  where error.code == EEXIST {
                continue
            } catch {
                throw .unwritable(path: path, reason: "cannot create a temporary file beside it: \(error)")
            }
        }
        throw .unwritable(path: path, reason: "cannot create a temporary file beside it: every name tried is taken")
    }

    /// 64 random bits in hex: not guessable by another user of a shared folder.
    static func randomTemporaryName() -> String {
        var generator = SystemRandomNumberGenerator()
        let text = String(generator.next() as UInt64, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }

    static func writeAll(_ data: Data, to fd: Int32, path: String) throws(StorageError) {
        let failure: SystemError? = data.withUnsafeBytes { buffer -> SystemError? in
            do throws(SystemError) {
                try systemWriteAll(fd, buffer)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw .unwritable(path: path, reason: failure.description) }
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
