import Synchronization

/// Output collected in memory.
final class CapturedOutput: TextOutput {
    private let buffer = Mutex("")
    let isTerminal = false

    var text: String { buffer.withLock { $0 } }

    func write(_ text: String) {
        buffer.withLock { $0 += text }
    }
}
