import ArgumentParsing
import BatchCloneKit
import Foundation

/// `batch-clone status`: per limit, used and remaining clones and when the next slot frees.
struct StatusCommand {
    static let spec = CommandSpec(
        name: "batch-clone status",
        abstract: "Show how much of the clone quota the shared ledger has used, per limit.",
        usage: "batch-clone status [--state PATH] [options]",
        options: [
            OptionSpec(
                "state", .value(valueName: "PATH"),
                help: "the ledger file or redis:// URL (default: $BATCH_CLONE_STATE, else the file for the API host)"),
            OptionSpec("limit", .repeatable(valueName: "N/DURATION"), help: "limits to report on; default 20/1m and 100/1d"),
            OptionSpec(
                "margin", .value(valueName: "DURATION"), help: "the margin the runs use (default 2% of the window, at most 1s)"),
            OptionSpec("base-url", .value(valueName: "URL"), help: "API root whose default state file to read"),
            OptionSpec("sandbox", .flag, help: "read the sandbox's default state file"),
            OptionSpec("act-under-account", .value(valueName: "ID"), help: "read the shared account's default state file"),
            OptionSpec("json", .flag, help: "print one JSON object on stdout"),
        ],
        examples: ["batch-clone status", "batch-clone status --state ci/state.json --json"])

    let arguments: ParsedArguments
    let environment: [String: String]
    let errorOutput: any TextOutput
    let standardOutput: any TextOutput
    let clock: any BatchClock

    func execute() throws -> ExitCode {
        if let extra = arguments.positionals.first { throw ArgumentError.tooManyArguments([extra]) }
        // Reuse the run options' validation for the shared flags.
        var forwarded = ["-"]
        for name in ["base-url", "margin", "act-under-account"] {
            if let value = arguments.value(name) { forwarded += ["--\(name)", value] }
        }
        for limit in arguments.values("limit") { forwarded += ["--limit", limit] }
        if arguments.flag("sandbox") { forwarded.append("--sandbox") }
        let options = try RunOptions(ArgumentParser(RunOptions.spec).parse(forwarded), environment: environment)
        let path =
            LedgerLocation.stateValue(option: arguments.value("state"), environment: environment)
            ?? DefaultPaths.state(for: options.baseURL, account: options.actUnderAccount, environment: environment)
        let location = try LedgerLocation(path, baseURL: options.baseURL, account: options.actUnderAccount)
        let (log, now) = try location.peek(now: clock.now.epochMilliseconds, clock: clock)
        let ledger = RateLimitLedger(limits: options.limits, margin: options.margin, log: log)
        let statuses = ledger.status(now: now)
        if arguments.flag("json") {
            let limits: [JSONField] = statuses.map { status in
                .object([
                    "limit": .string(status.limit.description), "used": .int(status.used),
                    "remaining": .int(status.remaining),
                    "next_free": .string(UTCTimestamp.format(milliseconds: status.nextFree)),
                ])
            }
            standardOutput.write(
                JSONField.object([
                    "state": .string(location.description), "time": .string(UTCTimestamp.format(milliseconds: now)),
                    "next_send": .string(UTCTimestamp.format(milliseconds: ledger.earliestSend(now: now))),
                    "limits": .array(limits),
                ]) + "\n")
        } else {
            var text = "state: \(location.description)\n"
            for status in statuses {
                let next = status.remaining > 0 ? "a slot is free now" : "next slot at \(ProgressReporter.time(status.nextFree))"
                text +=
                    "  \(status.limit.description.padding(toLength: 10, withPad: " ", startingAt: 0)) "
                    + "used \(status.used), remaining \(status.remaining); \(next)\n"
            }
            text += "next clone can be sent at \(ProgressReporter.time(ledger.earliestSend(now: now)))\n"
            standardOutput.write(text)
        }
        return .success
    }
}
