#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive advisory lock (`flock`) on a file, released on `release()` or process death.
///
/// Because the kernel drops it when the process dies, a kill -9 never leaves a stale lock.
final class FileLock: Sendable {
    private let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    /// Takes the lock, waiting for other holders when `wait` is true; nil when busy and not waiting.
    static func acquire(_ path: String, wait: Bool) throws(StorageError) -> FileLock? {
        // A link planted at the lock's name is refused (ELOOP) rather than followed.
        let fd = systemOpen(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .unwritable(path: path, reason: lastErrorText()) }
        do {
            _ = try systemCall { flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) }
            return FileLock(fd: fd)
        } catch {
            systemClose(fd)
            if error.code == EWOULDBLOCK { return nil }
            throw .unwritable(path: path, reason: "cannot lock: \(error)")
        }
    }

    func release() {
        flock(fd, LOCK_UN)
        systemClose(fd)
    }
}
