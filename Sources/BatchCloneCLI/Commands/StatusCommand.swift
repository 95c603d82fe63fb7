import ArgumentParsing
import BatchCloneKit
import Foundation

/// `batch-clone status`: per limit, used and remaining clones and when the next slot frees.
struct StatusCommand: Command {
    static let spec = CommandSpec(
        name: "batch-clone status",
        abstract:
            "Show how much of the clone quota is used, per limit: the shared ledger and, with a token, the account's own record.",
        usage: "batch-clone status [--state PATH] [options]",
        options: LedgerOptions.options + [targetOption.spec, offlineOption.spec, jsonOption.spec],
        examples: [
            "batch-clone status", "batch-clone status --offline --state ci/state.json --json",
            "batch-clone status --target training",
        ],
        discussion: """
            With TOLOKA_TOKEN set, the account's clone operations within the longest window are
            listed (GET /operations) and counted with the ledger's sends: clones made in the web UI,
            by other machines or tools show as "made elsewhere". Nothing is written.
            """
    )

    static let offlineOption = Option<Bool>.flag(
        "offline",
        help: "read only the ledger, even when TOLOKA_TOKEN is set"
    )
    static let jsonOption = Option<Bool>.flag("json", help: "print one JSON object on stdout")
    /// Pool and training clones have their own limits and log: one is shown at a time.
    static let targetOption = Option<CloneTarget?>.target(
        help: "whose clone quota to show: pool or training",
        defaultValue: "pool"
    )

    /// What `status --json` prints.
    struct Report: Encodable {
        struct Limit: Encodable {
            var limit: String
            var used: Int
            var remaining: Int
            var nextFree: String
        }

        var state: String
        /// `pool` or `training`: whose quota this is.
        var target: String
        var time: String
        var nextSend: String
        var limits: [Limit]
        /// Set while a run's 429 holds every send of the account back.
        @Nullable var blockedUntil: String?
        /// With a token: clones the account's list shows that the ledger did not know; nil offline.
        @Nullable var madeElsewhere: Int?
    }

    let ledger: LedgerOptions
    let target: CloneTarget
    let json: Bool
    let offline: Bool

    init(_ arguments: ParsedArguments, environment: [String: String]) throws(ArgumentError) {
        if let extra = arguments.positionals.first { throw .tooManyArguments([extra]) }
        ledger = try LedgerOptions(arguments, environment: environment)
        json = try arguments.value(Self.jsonOption)
        target = try arguments.value(Self.targetOption) ?? .pool
        offline = try arguments.value(Self.offlineOption)
    }

    func run(_ context: CommandContext) async throws -> ExitCode {
        let location = try LedgerLocation(
            ledger.resolvedStatePath(environment: context.environment),
            baseURL: ledger.baseURL,
            account: ledger.actUnderAccount,
            caFile: ledger.redisCA
        )
        if let warning = location.warning {
            context.errorOutput.write("batch-clone: warning: \(warning)\n")
        }
        let path = location.description
        var (log, now) = try location.peek(target, now: context.clock.localNow)
        var madeElsewhere: Int?
        if !offline, let token = context.environment["TOLOKA_TOKEN"],
            !token.trimmingCharacters(in: .whitespaces).isEmpty
        {
            madeElsewhere = try await countAccount(into: &log, now: now, token: token, context: context)
        }
        let ledger = self.ledger.ledger(log)
        let statuses = ledger.status(now: now)
        let blocked = log.blockedUntilInstant.flatMap { $0 > now ? $0 : nil }
        if json {
            let report = Report(
                state: path,
                target: target.name,
                time: UTCTimestamp.format(now),
                nextSend: UTCTimestamp.format(ledger.earliestSend(now: now)),
                limits: statuses.map { status in
                    Report.Limit(
                        limit: status.limit.description,
                        used: status.used,
                        remaining: status.remaining,
                        nextFree: UTCTimestamp.format(status.nextFree)
                    )
                },
                blockedUntil: blocked.map { UTCTimestamp.format($0) },
                madeElsewhere: madeElsewhere
            )
            context.standardOutput.write(JSONLines.encode(report))
        } else {
            var text = "state: \(path)" + (target == .pool ? "" : " (\(target.name) clones)") + "\n"
            for status in statuses {
                let next =
                    status.remaining > 0
                    ? "a slot is free now" : "next slot at \(ProgressReporter.time(status.nextFree))"
                text +=
                    "  \(status.limit.description.padding(toLength: 10, withPad: " ", startingAt: 0)) "
                    + "used \(status.used), remaining \(status.remaining); \(next)\n"
            }
            if let blocked {
                text +=
                    "  blocked until \(ProgressReporter.time(blocked)): a run met a 429, a window the server counts "
                    + "is full of clones this ledger does not know (that run's output names the window); "
                    + "after a listing, every run waits for the known slot or the next probe\n"
            }
            text +=
                madeElsewhere.map {
                    "account: \($0) clones in these windows were made outside this ledger (web UI, other machines or tools)\n"
                }
                ?? "account: not asked (no TOLOKA_TOKEN, or --offline); the ledger alone is shown\n"
            text += "next clone can be sent at \(ProgressReporter.time(ledger.earliestSend(now: now)))\n"
            context.standardOutput.write(text)
        }
        return .success
    }

    /// Lists the account's clones within the longest window and counts those the ledger does not
    /// know into `log` (a copy: nothing is written); returns how many. A 401 is an error; another
    /// failure is said and the ledger alone is shown.
    private func countAccount(into log: inout SendLog, now: LedgerInstant, token: String, context: CommandContext)
        async throws
        -> Int?
    {
        let client = RunEndpoint(baseURL: ledger.baseURL, token: token)
            .client(account: ledger.actUnderAccount, clock: context.clock)
        let skew = RunConfiguration().clockSkew
        let longest = self.ledger.ledger().limits.map(\.widenedWindow).max() ?? .milliseconds(86_401_000)
        do {
            var account = AccountView(clockSkew: skew)
            // The ledger's clock read as ours: one for a file ledger, within the skew allowance for Redis.
            let listing = try await CloneLister(api: client, target: target).list(
                since: account.listSince(now: now.sameClockLocal, longestSpan: longest),
                maxPages: CloneLister.defaultPages
            )
            let clones = account.read(listing)
            return log.merge(clones)
        } catch let error as TolokaError {
            if FailureKind(error) == .authentication { throw RunError.authentication(error.description) }
            context.errorOutput.write(
                "batch-clone: warning: could not list the account's clone operations: \(error)".printable + "\n"
            )
            return nil
        }
    }
}
