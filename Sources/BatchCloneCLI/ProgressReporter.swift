import BatchCloneKit
import Foundation
import Synchronization

/// Renders run events: timestamped lines on stderr, and JSON objects on stdout with `--json`.
final class ProgressReporter: Sendable {
    private struct Counts {
        var total = 0
        var settled = 0
        /// The live line shown at the bottom of a terminal, if any.
        var statusLine: String?
        /// The last snapshot, kept current between snapshots by the events.
        var progress: RunProgress?
    }

    private let errorOutput: any TextOutput
    private let jsonOutput: (any TextOutput)?
    private let clock: any BatchClock
    private let counts = Mutex(Counts())

    init(errorOutput: any TextOutput, jsonOutput: (any TextOutput)?, clock: any BatchClock) {
        self.errorOutput = errorOutput
        self.jsonOutput = jsonOutput
        self.clock = clock
    }

    /// Writes a line on stderr, prefixed with the time, control characters escaped; on a terminal the
    /// live line is redrawn below it.
    func say(_ message: String) {
        let time = UTCTimestamp.format(milliseconds: clock.now.epochMilliseconds).dropFirst(11).prefix(8)
        // Pool IDs, operation IDs and reasons come from the server: no control character reaches the terminal.
        let line = "[\(time)] \(message.printable)\n"
        guard errorOutput.isTerminal else {
            errorOutput.write(line)
            return
        }
        let status = counts.withLock { $0.statusLine }
        errorOutput.write(Self.clearLine + line + (status ?? ""))
    }

    /// Removes the live line before the final summary.
    func finish() {
        guard errorOutput.isTerminal else { return }
        if counts.withLock({ $0.statusLine }) != nil {
            errorOutput.write(Self.clearLine)
        }
        counts.withLock { $0.statusLine = nil }
    }

    static let clearLine = "\r\u{1B}[2K"

    /// Updates the live line from a fresh snapshot, or from the last one changed by `update`.
    private func show(_ snapshot: RunProgress? = nil, update: (inout RunProgress) -> Void = { _ in }) {
        guard errorOutput.isTerminal else { return }
        let now = clock.now.epochMilliseconds
        let line: String? = counts.withLock { counts in
            if let snapshot { counts.progress = snapshot }
            guard var progress = counts.progress else { return nil }
            update(&progress)
            counts.progress = progress
            counts.statusLine = Self.statusLine(progress, now: now)
            return counts.statusLine
        }
        if let line { errorOutput.write(Self.clearLine + line) }
    }

    /// `12/30 cloned, 1 failed, 3 running | left: 8 of 20/1m, 88 of 100/1d | next slot now | ETA 14:05:03 (in 1m4s)`
    static func statusLine(_ progress: RunProgress, now: Int64) -> String {
        var parts = ["\(progress.cloned)/\(progress.total) cloned, \(progress.failed) failed, \(progress.inFlight) running"]
        parts.append("left: " + progress.limits.map { "\($0.remaining) of \($0.limit)" }.joined(separator: ", "))
        parts.append(progress.nextSlot <= now ? "next slot now" : "next slot \(relative(progress.nextSlot, now: now))")
        if let last = progress.lastSend {
            parts.append("ETA \(relative(last, now: now))")
        }
        return parts.joined(separator: " | ")
    }

    /// `14:05:03 (in 1m4s)`, or with the date when it is not today.
    static func relative(_ time: Int64, now: Int64) -> String {
        let text = UTCTimestamp.format(milliseconds: time)
        let sameDay = text.prefix(10) == UTCTimestamp.format(milliseconds: now).prefix(10)
        let clock = (sameDay ? "" : text.prefix(10) + " ") + text.dropFirst(11).prefix(8)
        let wait = max(0, time - now)
        return "\(clock) (in \(formatWait(wait)))"
    }

    /// A wait in the two largest units: `45s`, `3m12s`, `2h5m`, `1d4h`.
    static func formatWait(_ milliseconds: Int64) -> String {
        let seconds = (milliseconds + 999) / 1000
        switch seconds {
        case ..<60: return "\(seconds)s"
        case ..<3600: return "\(seconds / 60)m\(seconds % 60)s"
        case ..<86_400: return "\(seconds / 3600)h\((seconds % 3600) / 60)m"
        default: return "\(seconds / 86_400)d\((seconds % 86_400) / 3600)h"
        }
    }

    /// Emits one JSON event when `--json` is on.
    func emit(_ fields: [String: JSONField]) {
        guard let jsonOutput else { return }
        var fields = fields
        fields["time"] = .string(UTCTimestamp.format(milliseconds: clock.now.epochMilliseconds))
        jsonOutput.write(JSONField.object(fields) + "\n")
    }

    func handle(_ event: RunEvent) {
        switch event {
        case .started(let total, let done, let failed, let toDo):
            counts.withLock { $0 = Counts(total: total, settled: done + failed) }
            say("\(total) pools: \(done) already cloned, \(failed) failed earlier, \(toDo) to do")
            emit([
                "event": .string("started"), "total": .int(total), "already_done": .int(done),
                "already_failed": .int(failed), "to_do": .int(toDo),
            ])
        case .warning(let message):
            say("warning: \(message)")
            emit(["event": .string("warning"), "message": .string(message)])
        case .waiting(let until):
            say("limit reached; next clone at \(Self.time(until))")
            emit(["event": .string("waiting"), "until": .string(UTCTimestamp.format(milliseconds: until))])
        case .submitted(let pool, let operation):
            say("pool \(pool): clone submitted (operation \(operation))")
            emit(["event": .string("submitted"), "pool_id": .string(pool), "operation_id": .string(operation)])
        case .cloned(let pool, let newPool, let operation):
            let progress = counts.withLock { counts -> String in
                counts.settled += 1
                return "\(counts.settled)/\(counts.total)"
            }
            show {
                $0.cloned += 1; $0.inFlight = max(0, $0.inFlight - 1)
            }
            say("pool \(pool) -> \(newPool) cloned (\(progress))")
            emit([
                "event": .string("cloned"), "pool_id": .string(pool), "new_pool_id": .string(newPool),
                "operation_id": .string(operation),
            ])
        case .failed(let pool, let reason):
            counts.withLock { $0.settled += 1 }
            show { $0.failed += 1 }
            say("pool \(pool) failed: \(reason)")
            emit(["event": .string("failed"), "pool_id": .string(pool), "reason": .string(reason)])
        case .retrying(let pool, let reason):
            say("pool \(pool): will retry: \(reason)")
            emit(["event": .string("retrying"), "pool_id": .string(pool), "reason": .string(reason)])
        case .reconciled(let pool, let operation):
            say(
                operation.map { "pool \(pool): found its clone on the server (operation \($0))" }
                    ?? "pool \(pool): no clone found on the server; it will be sent again")
            emit([
                "event": .string("reconciled"), "pool_id": .string(pool),
                "operation_id": operation.map(JSONField.string) ?? .null,
            ])
        case .rateLimited(let pool, let interval, let until):
            say("pool \(pool): the server says the \(interval ?? "clone") limit is full (429); next try at \(Self.time(until))")
            emit([
                "event": .string("rate_limited"), "pool_id": .string(pool),
                "interval": interval.map(JSONField.string) ?? .null,
                "until": .string(UTCTimestamp.format(milliseconds: until)),
            ])
        case .progress(let progress):
            show(progress)
        case .stoppedAtLimit(let resumeAt):
            say("the next clone slot is at \(Self.time(resumeAt)), beyond --max-wait; stopping after in-flight clones finish")
            emit([
                "event": .string("stopped"), "reason": .string("limit"),
                "resume_at": .string(UTCTimestamp.format(milliseconds: resumeAt)),
            ])
        }
    }

    /// `2026-11-29 14:05:03 UTC`
    static func time(_ milliseconds: Int64) -> String {
        let text = UTCTimestamp.format(milliseconds: milliseconds)
        return text.prefix(10) + " " + text.dropFirst(11).prefix(8) + " UTC"
    }
}
