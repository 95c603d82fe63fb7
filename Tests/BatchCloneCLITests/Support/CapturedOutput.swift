import Synchronization

@testable import BatchCloneCLI

/// Output collected in memory, so that tests read what a command printed.
final class CapturedOutput: TextOutput {
    private let buffer = Mutex("")
    let isTerminal = false

    var text: String { buffer.withLock { $0 } }

    func write(_ text: String) {
        buffer.withLock { $0 += text }
    }
}
