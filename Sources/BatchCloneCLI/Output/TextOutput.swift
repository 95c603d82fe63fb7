import BatchCloneKit
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the command writes its human and machine output; tests capture it.
protocol TextOutput: Sendable {
    func write(_ text: String)
    /// Whether this output is an interactive terminal.
    var isTerminal: Bool { get }
}

/// stdout or stderr of the process.
///
/// A reader that goes away (`batch-clone --json | head -1`) must not stop the run: with SIGPIPE
/// ignored the write fails with EPIPE, and from then on this stream drops its output.
final class StandardStream: TextOutput {
    let fd: Int32
    private let closed = Atomic(false)

    init(fd: Int32) {
        self.fd = fd
    }

    static let out = StandardStream(fd: 1)
    static let error = StandardStream(fd: 2)

    var isTerminal: Bool { isatty(fd) == 1 }

    /// Whether a write found the reader gone; nothing more is written then.
    var isClosed: Bool { closed.load(ordering: .relaxed) }

    func write(_ text: String) {
        guard !isClosed else { return }
        var text = text
        let failure: SystemError? = text.withUTF8 { buffer in
            do throws(SystemError) {
                try systemWriteAll(fd, UnsafeRawBufferPointer(buffer))
                return nil
            } catch {
                return error
            }
        }
        // Any failure but a full disk means the reader is gone or the descriptor unusable: stop trying.
        if let failure, failure.code != ENOSPC {
            closed.store(true, ordering: .relaxed)
        }
    }

    /// Makes a write to a closed pipe fail with EPIPE instead of killing the process.
    static func ignoreBrokenPipes() {
        signal(SIGPIPE, SIG_IGN)
    }
}
