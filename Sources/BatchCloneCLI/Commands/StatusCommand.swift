import ArgumentParsing
import BatchCloneKit
import Foundation

/// `batch-clone status`: per limit, used and remaining clones and when the next slot frees.
struct StatusCommand: Command {
    static let spec = CommandSpec(
        name: "batch-clone status",
        abstract: "Show how much of the clone quota the shared ledger has used, per limit.",
        usage: "batch-clone status [--state PATH] [options]",
        options: LedgerOptions.options + [OptionSpec("json", .flag, help: "print one JSON object on stdout")],
        examples: ["batch-clone status", "batch-clone status --state ci/state.json --json"])

    /// What `status --json` prints.
    struct Report: Encodable {
        struct Limit: Encodable {
            var limit: String
            var used: Int
            var remaining: Int
            var nextFree: String
        }

        var state: String
        var time: String
        var nextSend: String
        var limits: [Limit]
    }

    let ledger: LedgerOptions
    let json: Bool

    init(_ arguments: ParsedArguments, environment: [String: String]) throws(ArgumentError) {
        if let extra = arguments.positionals.first { throw .tooManyArguments([extra]) }
        ledger = try LedgerOptions(arguments, environment: environment)
        json = arguments.flag("json")
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        let location = try LedgerLocation(
            ledger.resolvedStatePath(environment: context.environment), baseURL: ledger.baseURL, account: ledger.actUnderAccount)
        let path = location.description
        let (log, now) = try location.peek(now: context.clock.now.epochMilliseconds, clock: context.clock)
        let ledger = self.ledger.ledger(log)
        let statuses = ledger.status(now: now)
        if json {
            let report = Report(
                state: path, time: UTCTimestamp.format(milliseconds: now),
                nextSend: UTCTimestamp.format(milliseconds: ledger.earliestSend(now: now)),
                limits: statuses.map { status in
                    Report.Limit(
                        limit: status.limit.description, used: status.used, remaining: status.remaining,
                        nextFree: UTCTimestamp.format(milliseconds: status.nextFree))
                })
            context.standardOutput.write(JSONLines.encode(report))
        } else {
            var text = "state: \(path)\n"
            for status in statuses {
                let next = status.remaining > 0 ? "a slot is free now" : "next slot at \(ProgressReporter.time(status.nextFree))"
                text +=
                    "  \(status.limit.description.padding(toLength: 10, withPad: " ", startingAt: 0)) "
                    + "used \(status.used), remaining \(status.remaining); \(next)\n"
            }
            text += "next clone can be sent at \(ProgressReporter.time(ledger.earliestSend(now: now)))\n"
            context.standardOutput.write(text)
        }
        return .success
    }
}
