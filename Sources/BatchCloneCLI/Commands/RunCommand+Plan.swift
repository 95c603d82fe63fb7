import BatchCloneKit
import Foundation

extension RunCommand {
    /// `--dry-run`: the schedule from the CSV, journal and ledger, with no network and no writes.
    func plan(_ list: PoolList, reporter: ProgressReporter, context: CommandContext) throws -> ExitCode {
        let paths = RunPaths(options, environment: context.environment)
        let journalState = try JournalFile.peek(path: paths.journal)
        let location = try LedgerLocation(
            paths.state,
            baseURL: options.ledger.baseURL,
            account: options.ledger.actUnderAccount,
            caFile: options.ledger.redisCA
        )
        if let warning = location.warning { context.errorOutput.write("batch-clone: warning: \(warning)\n") }
        let log = try location.peek(list.target, now: context.clock.localNow).log
        let now = context.clock.localNow
        let plan = BatchPlan(
            list: list,
            state: journalState,
            ledger: options.ledger.ledger(log),
            retryFailed: options.retryFailed,
            now: now
        )
        var text =
            "plan for \(options.csvPath) (limits \(options.ledger.effectiveLimits.map(\.description).joined(separator: ", ")))\n"
        let noun = list.target.name
        text +=
            plan.total == plan.sources
            ? "  \(noun)s in the CSV:\(noun == "pool" ? "      " : "  ")\(plan.total)\n"
            : "  clones asked:          \(plan.total) of \(plan.sources) \(noun)s\n"
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
                text += "    \(UTCTimestamp.format(day).prefix(10))  \(count)\n"
            }
        }
        let steps = StepSchedule(
            list: list,
            state: journalState,
            steps: StepPlan(sets: options.sets, open: options.open),
            overlapLimits: options.overlapLimits,
            retryFailed: options.retryFailed,
            now: now
        )
        if steps.itemsWithSteps > 0 {
            let names = options.sets.map { "--set " + $0.text } + (options.open ? ["--open"] : [])
            text += "  steps after the clone: \(steps.itemsWithSteps) items (\(names.joined(separator: ", ")))\n"
        }
        if let lastEdit = steps.lastOverlapEdit {
            let limits = options.overlapLimits.map(\.description).joined(separator: ", ")
            text +=
                "  overlap edits:         \(steps.overlapEdits) at \(limits), the last at \(ProgressReporter.time(lastEdit))"
            // The API's overlap limit, not the clone limit, then decides when the batch ends.
            if plan.lastSend.map({ lastEdit > $0 }) ?? true {
                text += ": later than the last clone, so the overlap limit sets when the batch ends"
            }
            text += "\n"
        }
        text +=
            "  journal: \(paths.journal)\(journalState == nil ? " (new)" : "")\n  state:   \(location.description)\n"
        context.errorOutput.write(text)
        reporter.emit(
            JSONEvent.Plan(
                total: plan.total,
                alreadyDone: plan.alreadyDone,
                alreadyFailed: plan.alreadyFailed,
                inProgress: plan.inProgress,
                toClone: plan.toClone,
                fitNow: plan.fitNow,
                lastSend: plan.lastSend.map { UTCTimestamp.format($0) },
                perDay: plan.perDay.map { day, count in
                    JSONEvent.Plan.Day(day: String(UTCTimestamp.format(day).prefix(10)), count: count)
                },
                itemsWithSteps: steps.itemsWithSteps > 0 ? steps.itemsWithSteps : nil,
                overlapEdits: steps.overlapEdits > 0 ? steps.overlapEdits : nil,
                lastOverlapEdit: steps.lastOverlapEdit.map { UTCTimestamp.format($0) }
            )
        )
        return .success
    }
}
