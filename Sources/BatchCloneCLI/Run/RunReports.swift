import BatchCloneKit
import Foundation

/// What a finished run leaves behind: the results CSV, the CI reports, and its summary on stderr
/// and as a JSON event.
struct RunReports {
    /// Whose quota the run used.
    var target: CloneTarget
    var options: RunOptions
    var paths: RunPaths
    /// The shared ledger, read again for the quota left.
    var ledger: LedgerLocation
    var reporter: ProgressReporter
    var clock: any BatchClock

    /// Writes the results CSV and `--junit`; returns the error that stopped them, if any.
    func writeFiles(_ summary: RunSummary) -> CLIError? {
        do {
            try ResultsFile.write(items: summary.items, state: summary.state, to: paths.output)
            if let junit = options.report.junitPath {
                try ReportFiles.write(JUnitReport(summary: summary, name: options.csvPath).render(), to: junit)
            }
            return nil
        } catch {
            return CLIError(error)
        }
    }

    /// Appends the run's Markdown summary to `$GITHUB_STEP_SUMMARY` when a CI job names one.
    func appendStepSummary(_ summary: RunSummary, exitCode: ExitCode, environment: [String: String]) {
        guard let path = environment["GITHUB_STEP_SUMMARY"], !path.isEmpty else { return }
        let now = clock.localNow
        let limits = (try? ledger.peek(target, now: now)).map { options.ledger.ledger($0.log).status(now: $0.now) }
        let markdown = StepSummary(summary: summary, name: options.csvPath, exitCode: exitCode, limits: limits)
            .render()
        do {
            try ReportFiles.append(markdown, to: path)
        } catch {
            // The job summary is a courtesy of the CI; failing to write it must not fail the batch.
            reporter.say("warning: GITHUB_STEP_SUMMARY: \(error)", always: true)
        }
    }

    /// The closing lines on stderr (counts, quota, failures, how to resume) and the summary event.
    func printSummary(_ summary: RunSummary, failure: CLIError?, exitCode: ExitCode) {
        let failed = summary.failed
        let sources = Set(summary.items.map(\.source)).count
        let batch =
            sources == summary.items.count ? "\(sources) pools" : "\(summary.items.count) copies of \(sources) sources"
        var lines = [
            "done: \(summary.cloned) of \(batch) cloned (\(summary.clonedNow) by this run, "
                + "\(summary.cloned - summary.clonedNow) skipped as cloned earlier, \(summary.clonesSent) clone requests sent), "
                + "\(failed.count) failed, \(summary.unsettled) left"
        ]
        if let steps = summary.stepsLine { lines.append(steps) }
        if let quota = quotaLine(foreign: summary.foreignClones) {
            lines.append(quota)
        }
        for (item, reason) in failed.prefix(20) {
            lines.append(reporter.paint("  failed: \(item): \(reason)", ProgressReporter.red))
        }
        if failed.count > 20 { lines.append("  ... and \(failed.count - 20) more in \(paths.output)") }
        switch summary.stop {
        case .limit(let resumeAt):
            if let block = summary.serverBlock {
                lines.append(
                    "the server refused a clone: \(block.windowDescription) is blocked until "
                        + "\(ProgressReporter.time(block.until)), \(block.reasonDescription)"
                )
            }
            lines.append(
                "the clone quota is used up until \(ProgressReporter.time(resumeAt)); re-run the same command then to resume"
            )
        case .interrupted:
            lines.append("interrupted; progress is saved in \(paths.journal): re-run the same command to resume")
        case .unfinishedOperations(let count):
            lines.append(
                "\(count) clone operation(s) still running on the server; re-run the same command to follow them"
            )
        case nil:
            if summary.clonesSent == 0 && summary.unsettled == 0 && failure == nil {
                lines.append("nothing to do: every pool is settled in \(paths.journal)")
            }
        }
        if let failure {
            lines.append("error: \(failure)")
        }
        lines.append("results: \(paths.output)")
        for line in lines { reporter.say(line, always: true) }
        var event = JSONEvent.Summary(
            total: summary.items.count,
            cloned: summary.cloned,
            clonedNow: summary.clonedNow,
            clonesSent: summary.clonesSent,
            failed: failed.count,
            left: summary.unsettled,
            exitCode: Int(exitCode.rawValue),
            results: paths.output,
            journal: paths.journal
        )
        if case .limit(let resumeAt) = summary.stop {
            event.resumeAt = UTCTimestamp.format(resumeAt)
        }
        event.error = failure?.description
        reporter.emit(event)
    }

    /// `quota: 0 of 20/1m left, 55 of 100/1d left; next clone possible at ...`, from the shared ledger.
    private func quotaLine(foreign: Int) -> String? {
        guard let (log, now) = try? ledger.peek(target, now: clock.localNow) else { return nil }
        let ledger = options.ledger.ledger(log)
        let left = ledger.status(now: now).map { "\($0.remaining) of \($0.limit) left" }.joined(separator: ", ")
        let next = ledger.earliestSend(now: now)
        let elsewhere = foreign > 0 ? " (counting \(foreign) clones made outside this ledger)" : ""
        return "quota: \(left)\(elsewhere); "
            + (next <= now ? "a clone can go now" : "next clone possible at \(ProgressReporter.time(next))")
    }
}
