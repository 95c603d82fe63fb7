import BatchCloneKit

/// The run as Markdown for a GitHub Actions job summary (`$GITHUB_STEP_SUMMARY`): counts, quota
/// left, when to resume, and the failed pools, capped so a large batch keeps the page readable.
struct StepSummary {
    var summary: RunSummary
    /// The CSV the batch came from.
    var name: String
    var exitCode: ExitCode
    /// Per-limit usage after the run; nil when the ledger could not be read.
    var limits: [RateLimitLedger.LimitStatus]?
    var maxFailedRows = 20

    func render() -> String {
        let failed = summary.failed
        var text = """
            ### batch-clone: \(Self.cell(name))

            | pools | cloned | cloned now | failed | left | exit code |
            | --: | --: | --: | --: | --: | --: |
            | \(summary.items.count) | \(summary.cloned) | \(summary.clonedNow) | \(failed.count) | \(summary.unsettled) | \(exitCode.rawValue) |


            """
        if let limits {
            text += "Quota left: " + limits.map { "\($0.remaining) of \($0.limit)" }.joined(separator: ", ") + ".\n\n"
        }
        switch summary.stop {
        case .limit(let resumeAt):
            text +=
                "The clone quota is used up until **\(ProgressReporter.time(resumeAt))**: re-run the same command then.\n\n"
        case .interrupted:
            text += "Interrupted: progress is saved; re-run the same command to resume.\n\n"
        case .unfinishedOperations(let count):
            text +=
                "\(count) clone operation(s) still running on the server: re-run the same command to follow them.\n\n"
        case nil:
            break
        }
        if !failed.isEmpty {
            text += "| failed pool | reason |\n| --- | --- |\n"
            for (item, reason) in failed.prefix(maxFailedRows) {
                text += "| \(Self.cell(item.journalKey)) | \(Self.cell("\(reason)")) |\n"
            }
            if failed.count > maxFailedRows {
                text += "\n... and \(failed.count - maxFailedRows) more (see the results CSV)\n"
            }
            text += "\n"
        }
        return text
    }

    /// A Markdown table cell: pipes escaped, line breaks as spaces, no HTML.
    static func cell(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "|": out += "\\|"
            case "\n", "\r", "\r\n": out += " "
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }
}
