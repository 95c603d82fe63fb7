#if os(Linux)
    import Glibc

    /// OpenSSL writes to its socket with write(2), not send(2) with MSG_NOSIGNAL: a server gone away
    /// would raise SIGPIPE and kill a process that does not ignore it. Runs `body` with SIGPIPE
    /// blocked on this thread and discards one it raised, as libcurl does.
    func withBrokenPipeSignalBlocked<T>(_ body: () -> T) -> T {
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
        let result = body()
        if sigismember(&previous, SIGPIPE) == 0 {
            var pending = sigset_t()
            sigpending(&pending)
            if sigismember(&pending, SIGPIPE) == 1 {
                var now = timespec(tv_sec: 0, tv_nsec: 0)
                _ = sigtimedwait(&pipeSignal, nil, &now)
            }
            pthread_sigmask(SIG_SETMASK, &previous, nil)
        }
        return result
    }
#endif
