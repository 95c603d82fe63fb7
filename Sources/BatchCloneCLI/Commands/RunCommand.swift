import ArgumentParsing
import BatchCloneKit
import Foundation
import TolokaSimulator

/// `batch-clone run`: wires the real files, clock, HTTP client (or the simulator) to a `BatchRun`.
struct RunCommand: Command {
    static var spec: CommandSpec { RunOptions.spec }

    let options: RunOptions

    init(_ arguments: ParsedArguments, environment: [String: String]) throws(ArgumentError) {
        options = try RunOptions(arguments, environment: environment)
    }

    func run(_ context: CommandContext) async throws -> ExitCode {
        let clock = context.clock
        let reporter = ProgressReporter(
            errorOutput: context.errorOutput,
            jsonOutput: options.json ? context.standardOutput : nil,
            clock: clock,
            quiet: options.report.quiet,
            colors: options.report.usesColor(terminal: context.errorOutput.isTerminal, environment: context.environment)
        )
        if let warning = options.ledger.apiRootWarning { reporter.handle(.warning(warning)) }
        let list = try PoolListReader.read(path: options.csvPath, column: options.column)
        for rewrite in list.strippedZeros {
            reporter.handle(
                .warning(
                    "\(options.csvPath):\(rewrite.line): pool id \(rewrite.written) has leading zeros; it is pool \(rewrite.id)"
                )
            )
        }
        for duplicate in list.duplicates {
            reporter.handle(
                .warning(
                    "\(options.csvPath):\(duplicate.line): pool \(duplicate.id) repeats line \(duplicate.firstLine); it is cloned once"
                )
            )
        }
        if options.dryRun {
            return try plan(list.poolIDs, reporter: reporter, context: context)
        }

        let simulator = options.simulate ? try startSimulator(reporter: reporter, clock: clock) : nil
        defer { simulator?.stop() }
        let baseURL = simulator?.baseURL ?? options.ledger.baseURL
        let authorization: String
        if simulator != nil {
            authorization = "ApiKey simulated"
        } else {
            guard let token = context.environment["TOLOKA_TOKEN"], !token.trimmingCharacters(in: .whitespaces).isEmpty
            else {
                throw CLIError.missingToken
            }
            authorization = TolokaCredentials.authorization(for: token)
        }

        var paths = filePaths(simulated: simulator != nil, environment: context.environment)
        paths.ledger = try LedgerLocation(paths.state, baseURL: baseURL, account: options.ledger.actUnderAccount)
        defer {
            if let folder = paths.temporaryFolder { try? FileManager.default.removeItem(atPath: folder) }
        }
        if simulator != nil { reporter.say(rehearsalNotice(paths), always: true) }
        let (journal, state) = try JournalFile.open(path: paths.journal)
        defer { journal.close() }

        var configuration = options.runConfiguration
        configuration.progressSnapshots = context.errorOutput.isTerminal
        configuration.afterIntentRecorded = Failpoint(context.environment["BATCH_CLONE_FAILPOINT"])?.afterIntentRecorded

        let client = TolokaClient(
            baseURL: baseURL,
            authorization: authorization,
            actUnderAccount: options.ledger.actUnderAccount,
            transport: standardTransport(),
            clock: clock,
            onRetry: { request, error, wait in
                reporter.say("\(request): \(error); retrying in \(String(format: "%.1f", wait))s")
            }
        )
        let run = BatchRun(
            pools: list.poolIDs,
            state: state,
            api: client,
            ledger: paths.ledger!.store(),
            journal: journal,
            clock: clock,
            configuration: configuration,
            observer: reporter.handle
        )

        let task = Task { try await run.run() }
        context.interrupts.onInterrupt {
            reporter.say("interrupted: saving progress (press Ctrl-C again to quit at once)")
            task.cancel()
        }
        var failure: CLIError?
        do {
            _ = try await task.value
        } catch {
            failure = CLIError(error)
        }
        let summary = await run.summary()
        reporter.finish()
        do {
            try ResultsFile.write(pools: summary.pools, state: summary.state, to: paths.output)
            if let junit = options.report.junitPath {
                try ReportFiles.write(JUnitReport(summary: summary, name: options.csvPath).render(), to: junit)
            }
        } catch {
            failure = failure ?? CLIError(error)
        }
        let exitCode = failure?.exitCode ?? Self.exitCode(for: summary)
        if let path = context.environment["GITHUB_STEP_SUMMARY"], !path.isEmpty {
            let now = clock.now.epochMilliseconds
            let limits = (try? paths.ledger?.peek(now: now)).map {
                options.ledger.ledger($0.log).status(now: $0.now)
            }
            let markdown = StepSummary(summary: summary, name: options.csvPath, exitCode: exitCode, limits: limits)
                .render()
            do {
                try ReportFiles.append(markdown, to: path)
            } catch {
                // The job summary is a courtesy of the CI; failing to write it must not fail the batch.
                reporter.say("warning: GITHUB_STEP_SUMMARY: \(error)", always: true)
            }
        }
        report(summary, failure: failure, exitCode: exitCode, paths: paths, reporter: reporter, clock: clock)
        return exitCode
    }

    static func exitCode(for summary: RunSummary) -> ExitCode {
        switch summary.stop {
        case .interrupted: .interrupted
        case .limit, .unfinishedOperations: .tryLater
        case nil: summary.failed.isEmpty && summary.unsettled == 0 ? .success : .poolsFailed
        }
    }

    struct Paths {
        var state: String
        var journal: String
        var output: String
        /// A rehearsal's own folder, removed when the run ends.
        var temporaryFolder: String?
        /// `state` resolved to a file or a Redis server.
        var ledger: LedgerLocation?
    }

    func filePaths(simulated: Bool, environment: [String: String]) -> Paths {
        if simulated {
            // A rehearsal keeps the exact command line of the real run but none of its files: a
            // simulated clone in the real journal would make the real run skip that pool.
            let name = "batch-clone-simulate-\(getpid())-\(UUID().uuidString.prefix(8))"
            let folder = NSTemporaryDirectory() + name
            return Paths(
                state: folder + "/state.json",
                journal: folder + "/run.journal",
                output: NSTemporaryDirectory() + name + ".results.csv",
                temporaryFolder: folder
            )
        }
        return Paths(
            state: options.ledger.resolvedStatePath(environment: environment),
            journal: options.journalPath ?? DefaultPaths.journal(forCSV: options.csvPath),
            output: options.outputPath ?? DefaultPaths.results(forCSV: options.csvPath)
        )
    }

    /// Says which real files a rehearsal leaves alone and where its results go.
    func rehearsalNotice(_ paths: Paths) -> String {
        let real = [
            ("--journal", options.journalPath ?? DefaultPaths.journal(forCSV: options.csvPath)),
            ("--state", options.ledger.statePath),
            ("--output", options.outputPath ?? DefaultPaths.results(forCSV: options.csvPath)),
        ]
        let untouched = real.compactMap { name, path in path.map { "\(name) \($0)" } }.joined(separator: ", ")
        return "rehearsal: \(untouched) not read or written; using a temporary journal and state file "
            + "(deleted at exit); results go to \(paths.output)"
    }

    private func startSimulator(reporter: ProgressReporter, clock: any BatchClock) throws -> TolokaSimulator {
        var configuration = SimulatorConfiguration()
        configuration.limits = options.ledger.limits.map { SimulatedLimit(count: $0.count, window: $0.window) }
        configuration.seed = UInt64(truncatingIfNeeded: clock.now.epochMilliseconds)
        let simulator = TolokaSimulator(configuration: configuration)
        do {
            _ = try simulator.start()
        } catch {
            throw CLIError.simulator("\(error)")
        }
        reporter.say(
            "simulator listening on \(simulator.baseURL.absoluteString) (limits "
                + options.ledger.limits.map(\.description).joined(separator: ", ") + ")"
        )
        return simulator
    }

    /// `quota: 0 of 20/1m left, 55 of 100/1d left; next clone possible at ...`, from the shared ledger.
    private func quotaLine(_ location: LedgerLocation?, now: Int64, clock: any BatchClock, foreign: Int) -> String? {
        guard let (log, now) = try? location?.peek(now: now) else { return nil }
        let ledger = options.ledger.ledger(log)
        let left = ledger.status(now: now).map { "\($0.remaining) of \($0.limit) left" }.joined(separator: ", ")
        let next = ledger.earliestSend(now: now)
        let elsewhere = foreign > 0 ? " (counting \(foreign) clones made outside this ledger)" : ""
        return "quota: \(left)\(elsewhere); "
            + (next <= now ? "a clone can go now" : "next clone possible at \(ProgressReporter.time(next))")
    }

    private func report(
        _ summary: RunSummary,
        failure: CLIError?,
        exitCode: ExitCode,
        paths: Paths,
        reporter: ProgressReporter,
        clock: any BatchClock
    ) {
        let now = clock.now.epochMilliseconds
        let failed = summary.failed
        var lines = [
            "done: \(summary.cloned) of \(summary.pools.count) pools cloned (\(summary.clonedNow) by this run, "
                + "\(summary.cloned - summary.clonedNow) skipped as cloned earlier, \(summary.clonesSent) clone requests sent), "
                + "\(failed.count) failed, \(summary.unsettled) left"
        ]
        if let quota = quotaLine(paths.ledger, now: now, clock: clock, foreign: summary.foreignClones) {
            lines.append(quota)
        }
        for (pool, reason) in failed.prefix(20) {
            lines.append(reporter.paint("  failed: pool \(pool): \(reason)", ProgressReporter.red))
        }
        if failed.count > 20 { lines.append("  ... and \(failed.count - 20) more in \(paths.output)") }
        switch summary.stop {
        case .limit(let resumeAt):
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
            total: summary.pools.count,
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
            event.resumeAt = UTCTimestamp.format(milliseconds: resumeAt)
        }
        event.error = failure?.description
        reporter.emit(event)
    }
}
