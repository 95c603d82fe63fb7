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
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .unwritable(path: path, reason: lastErrorText()) }
        while flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0 {
            if errno == EINTR { continue }
            let busy = errno == EWOULDBLOCK
            let reason = lastErrorText()
            close(fd)
            if busy { return nil }
            throw .unwritable(path: path, reason: "cannot lock: \(reason)")
        }
        return FileLock(fd: fd)
    }

    func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
