#if os(Linux)
    import Synchronization

    /// Set by the task's cancellation handler, read by the thread driving the transfer.
    final class CurlCancellation: Sendable {
        private let flag = Atomic<Bool>(false)

        var isCancelled: Bool { flag.load(ordering: .acquiring) }

        func cancel() {
            flag.store(true, ordering: .releasing)
        }
    }
#endif
