import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// SIGINT and SIGTERM: the first calls the handler (a graceful stop), the second exits at once.
///
/// Exiting at once is safe: every journal and ledger write is atomic and durable on its own.
final class InterruptSource: Sendable {
    // Dispatch sources are thread-safe but not marked Sendable.
    private struct Source: @unchecked Sendable { let source: any DispatchSourceSignal }

    private let sources = Mutex<[Source]>([])
    private let handler = Mutex<(@Sendable () -> Void)?>(nil)
    private let count = Mutex(0)

    /// Installs the signal handlers (only for the real process; tests never call this).
    func install() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [self] in fire() }
            source.resume()
            sources.withLock { $0.append(Source(source: source)) }
        }
    }

    /// Sets what a first interrupt does.
    func onInterrupt(_ action: @escaping @Sendable () -> Void) {
        handler.withLock { $0 = action }
    }

    func fire() {
        let seen = count.withLock { count -> Int in
            count += 1
            return count
        }
        if seen > 1 { _exit(130) }
        handler.withLock { $0 }?()
    }
}
