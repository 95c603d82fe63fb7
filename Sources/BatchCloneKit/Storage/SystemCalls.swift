#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// The C library's calls under names that no method of ours shadows (DurableFile.write, JournalFile.close...),
// and the one place that retries an interrupted call (EINTR) and turns `errno` into an error.

/// Runs a system call again while a signal interrupts it (EINTR); a negative result throws its `errno`.
package func systemCall<T: SignedInteger>(_ call: () -> T) throws(SystemError) -> T {
    while true {
        let result = call()
        if result >= 0 { return result }
        let code = errno
        if code != EINTR { throw SystemError(code: code) }
    }
}

/// Writes all of `buffer` to `fd`, resuming after short writes and interruptions.
package func systemWriteAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) throws(SystemError) {
    var offset = 0
    while offset < buffer.count {
        offset += try systemCall { systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset) }
    }
}

/// `write(2)`, once.
package func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}

/// `open(2)`, retried on EINTR; -1 with `errno` set on failure.
func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
    do {
        return try systemCall { open(path, flags, mode) }
    } catch {
        errno = error.code
        return -1
    }
}

func systemClose(_ fd: Int32) {
    _ = close(fd)
}
