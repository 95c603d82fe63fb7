import BatchCloneKit
import Foundation

extension RunCommand {
    /// `--dry-run`: the schedule from the CSV, journal and ledger, with no network and no writes.
    func plan(_ pools: [String], reporter: ProgressReporter) throws -> ExitCode {
        let paths = try filePaths(simulated: false)
        let state = try JournalFile.peek(path: paths.journal)
        let location = try LedgerLocation(paths.state, baseURL: options.baseURL, account: options.actUnderAccount)
        let log = try location.peek(now: clock.now.epochMilliseconds, clock: clock).log
        let configuration = options.runConfiguration
        let now = clock.now.epochMilliseconds
        let plan = BatchPlan(
            pools: pools, state: state, ledger: configuration.ledger(log), retryFailed: options.retryFailed, now: now)
        var text = "plan for \(options.csvPath) (limits \(options.effectiveLimits.map(\.description).joined(separator: ", ")))\n"
        text += "  pools in the CSV:      \(plan.total)\n"
        text += "  already cloned:        \(plan.alreadyDone)\n"
        text +=
            "  failed earlier:        \(plan.alreadyFailed)\(plan.alreadyFailed > 0 ? " (use --retry-failed to try again)" : "")\n"
        text += "  in progress:           \(plan.inProgress)\n"
        text += "  to clone:              \(plan.toClone)\n"
        text += "  can be sent now:       \(plan.fitNow)\n"
        if let last = plan.lastSend, plan.toClone > 0 {
            text += "  last clone goes at:    \(ProgressReporter.time(last))\n"
            text += "  per day (UTC):\n"
            for (day, count) in plan.perDay {
                text += "    \(UTCTimestamp.format(milliseconds: day).prefix(10))  \(count)\n"
            }
        }
        text += "  journal: \(paths.journal)\(state == nil ? " (new)" : "")\n  state:   \(location.description)\n"
        errorOutput.write(text)
        var perDay: [JSONField] = []
        for (day, count) in plan.perDay {
            perDay.append(
                .object(["day": .string(String(UTCTimestamp.format(milliseconds: day).prefix(10))), "count": .int(count)]))
        }
        reporter.emit([
            "event": .string("plan"), "total": .int(plan.total), "already_done": .int(plan.alreadyDone),
            "already_failed": .int(plan.alreadyFailed), "in_progress": .int(plan.inProgress),
            "to_clone": .int(plan.toClone), "fit_now": .int(plan.fitNow),
            "last_send": plan.lastSend.map { .string(UTCTimestamp.format(milliseconds: $0)) } ?? .null,
            "per_day": .array(perDay),
        ])
        return .success
    }
}
