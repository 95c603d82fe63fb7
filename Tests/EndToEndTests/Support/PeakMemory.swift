import Foundation
import Synchronization

/// Samples a child's peak resident memory (`VmHWM` of `/proc/<pid>/status`, which the kernel
/// keeps as a high-water mark) every few milliseconds until it exits.
final class PeakMemory: Sendable {
    private let peak = Mutex<Int>(0)
    private let stopped = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    init(pid: Int32) {
        let thread = Thread { [self] in
            while !stopped.load(ordering: .relaxed), let bytes = Self.highWaterMark(pid: pid) {
                peak.withLock { $0 = max($0, bytes) }
                usleep(5_000)
            }
            finished.signal()
        }
        thread.start()
    }

    /// The highest peak seen; call once the process has exited.
    func stop() -> Int {
        stopped.store(true, ordering: .relaxed)
        finished.wait()
        return peak.withLock { $0 }
    }

    /// nil once the process is gone (an exited process's status has no memory lines).
    static func highWaterMark(pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kibibytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return nil }
        return kibibytes * 1024
    }
}
