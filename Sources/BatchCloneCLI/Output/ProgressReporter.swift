import BatchCloneKit
import DurationFormat
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
    /// `--quiet`: only lines said with `always` (the summary) reach stderr, and no live line.
    private let quiet: Bool
    /// Cloned pools in green, failed ones in red.
    private let colors: Bool

    init(
        errorOutput: any TextOutput,
        jsonOutput: (any TextOutput)?,
        clock: any BatchClock,
        quiet: Bool = false,
        colors: Bool = false
    ) {
        self.errorOutput = errorOutput
        self.jsonOutput = jsonOutput
        self.clock = clock
        self.quiet = quiet
        self.colors = colors
    }

    static let green = "\u{1B}[32m"
    static let red = "\u{1B}[31m"
    static let reset = "\u{1B}[0m"

    /// `text` in `color` when colours are on; escaped first, so that only our own escapes reach the terminal.
    func paint(_ text: String, _ color: String) -> String {
        colors ? color + text.printable + Self.reset : text.printable
    }

    /// Writes a line on stderr, prefixed with the time, control characters escaped; on a terminal the
    /// live line is redrawn below it. With `--quiet` only `always` lines are written.
    func say(_ message: String, always: Bool = false) {
        say(printable: message.printable, always: always)
    }

    /// Writes a line whose text is already escaped (or painted).
    func say(printable message: String, always: Bool = false) {
        if quiet && !always { return }
        let time = UTCTimestamp.format(milliseconds: clock.now.epochMilliseconds).dropFirst(11).prefix(8)
        // Pool IDs, operation IDs and reasons come from the server: no control character reaches the terminal.
        let line = "[\(time)] \(message)\n"
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
        guard errorOutput.isTerminal, !quiet else { return }
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

    /// `12/30 cloned, 1 failed, 3 running | left: 8 of 20/1m, 88 of 100/1d | next slot now | ETA 14:05:03 (in 1m4s)`;
    /// with steps, `12/30 cloned, 9 edited, 7 opened, 1 failed, ...` (only the steps the run has).
    static func statusLine(_ progress: RunProgress, now: Int64) -> String {
        var counts = ["\(progress.cloned)/\(progress.total) cloned"]
        if let edited = progress.edited { counts.append("\(edited) edited") }
        if let opened = progress.opened { counts.append("\(opened) opened") }
        counts += ["\(progress.failed) failed", "\(progress.inFlight) running"]
        var parts = [counts.joined(separator: ", ")]
        parts.append("left: " + progress.limits.map { "\($0.remaining) of \($0.limit)" }.joined(separator: ", "))
        let next = progress.nextSlot.epochMilliseconds
        parts.append(next <= now ? "next slot now" : "next slot \(relative(next, now: now))")
        if let last = progress.lastSend {
            parts.append("ETA \(relative(last.epochMilliseconds, now: now))")
        }
        return parts.joined(separator: " | ")
    }

    /// `14:05:03 (in 1m4s)`, or with the date when it is not today.
    static func relative(_ time: Int64, now: Int64) -> String {
        let text = UTCTimestamp.format(milliseconds: time)
        let sameDay = text.prefix(10) == UTCTimestamp.format(milliseconds: now).prefix(10)
        let clock = (sameDay ? "" : text.prefix(10) + " ") + text.dropFirst(11).prefix(8)
        let wait = max(0, time - now)
        return "\(clock) (in \(DurationFormatter.string(.milliseconds(wait), .approximate)))"
    }

    /// Emits one JSON event, stamped with the time, when `--json` is on.
    func emit(_ event: some Encodable) {
        guard let jsonOutput else { return }
        let time = UTCTimestamp.format(milliseconds: clock.now.epochMilliseconds)
        jsonOutput.write(JSONLines.encode(JSONLines.Stamped(event: event, time: time)))
    }

    /// The single place where run events become text and `--json` lines.

    func handle(_ event: RunEvent) {
        switch event {
        case .started(let total, let sources, let done, let failed, let toDo):
            counts.withLock { $0 = Counts(total: total, settled: done + failed) }
            let batch = total == sources ? "\(total) pools" : "\(total) clones of \(sources) sources"
            say("\(batch): \(done) already cloned, \(failed) failed earlier, \(toDo) to do")
            emit(JSONEvent.Started(total: total, alreadyDone: done, alreadyFailed: failed, toDo: toDo))
        case .warning(let message):
            say("warning: \(message)")
            emit(JSONEvent.Warning(message: message))
        case .foreignClones(let count, let window):
            let span =
                window >= .seconds(86_400) && window < .seconds(86_400 + 60) ? "24 h" : DurationFormatter.string(window)
            say("\(count) clones in the last \(span) were made outside this ledger (web UI, other machines or tools)")
            emit(JSONEvent.ForeignClones(count: count, windowSeconds: Int(window.components.seconds)))
        case .waiting(let until):
            say("limit reached; next clone at \(Self.time(until))")
            emit(JSONEvent.Waiting(until: UTCTimestamp.format(until)))
        case .submitted(let item, let operation):
            say("\(item): clone submitted (operation \(operation))")
            emit(
                JSONEvent.Submitted(
                    poolID: item.source,
                    target: item.target.name,
                    copy: item.copy,
                    operationID: operation
                )
            )
        case .cloned(let item, let newPool, let operation):
            let progress = counts.withLock { counts -> String in
                counts.settled += 1
                return "\(counts.settled)/\(counts.total)"
            }
            show {
                $0.cloned += 1; $0.inFlight = max(0, $0.inFlight - 1)
            }
            say(
                printable: paint(
                    "\(item) -> \(newPool ?? "(new pool id unknown)") cloned (\(progress))",
                    Self.green
                )
            )
            emit(
                JSONEvent.Cloned(
                    poolID: item.source,
                    target: item.target.name,
                    copy: item.copy,
                    newPoolID: newPool,
                    operationID: operation
                )
            )
        case .stepDone(let item, let step, let newID):
            say("\(item) -> \(newID): \(step == "open" ? "opened" : "edited (\(step))")")
            emit(
                JSONEvent.StepDone(
                    poolID: item.source,
                    target: item.target.name,
                    copy: item.copy,
                    newPoolID: newID,
                    step: step
                )
            )
        case .stepsCounted(let edited, let opened):
            // Only the steps the snapshot says the run has.
            show {
                if $0.edited != nil { $0.edited = edited }
                if $0.opened != nil { $0.opened = opened }
            }
        case .failed(let item, let failure):
            counts.withLock { $0.settled += 1 }
            show { $0.failed += 1 }
            say(printable: paint("\(item) failed: \(failure)", Self.red))
            emit(
                JSONEvent.Failed(
                    poolID: item.source,
                    target: item.target.name,
                    copy: item.copy,
                    reason: failure.description
                )
            )
        case .retrying(let item, let reason):
            say("\(item): will retry: \(reason)")
            emit(
                JSONEvent.Retrying(poolID: item.source, target: item.target.name, copy: item.copy, reason: "\(reason)")
            )
        case .reconciled(let item, let operation):
            say(
                operation.map { "\(item): found its clone on the server (operation \($0))" }
                    ?? "\(item): no clone found on the server within --reconcile-window: the lost answer could not be settled"
            )
            emit(
                JSONEvent.Reconciled(
                    poolID: item.source,
                    target: item.target.name,
                    copy: item.copy,
                    operationID: operation
                )
            )
        case .rateLimited(let item, let block):
            say(
                "\(item): \(block.windowDescription) is full (429); next try at \(Self.time(block.until)): \(block.reasonDescription)"
            )
            emit(
                JSONEvent.RateLimited(
                    poolID: item.source,
                    target: item.target.name,
                    copy: item.copy,
                    interval: block.interval,
                    limit: block.limit?.description,
                    until: UTCTimestamp.format(block.until),
                    reason: block.reasonDescription
                )
            )
        case .progress(let progress):
            show(progress)
        case .stoppedAtLimit(let resumeAt):
            say(
                "the next clone slot is at \(Self.time(resumeAt)), beyond --max-wait; stopping after in-flight clones finish"
            )
            emit(JSONEvent.Stopped(resumeAt: UTCTimestamp.format(resumeAt)))
        }
    }

    /// `2026-11-29 14:05:03 UTC`
    static func time(_ milliseconds: Int64) -> String {
        let text = UTCTimestamp.format(milliseconds: milliseconds)
        return text.prefix(10) + " " + text.dropFirst(11).prefix(8) + " UTC"
    }

    /// `2026-05-28 20:26:40 UTC`, seconds floored.
    static func time<Scale>(_ instant: EpochInstant<Scale>) -> String { time(instant.epochMilliseconds) }
}
