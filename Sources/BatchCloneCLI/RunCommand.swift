import ArgumentParsing
import BatchCloneKit
import Foundation
import TolokaSimulator

/// `batch-clone run`: wires the real files, clock, HTTP client (or the simulator) to a `BatchRun`.
struct RunCommand {
    let options: RunOptions
    let environment: [String: String]
    let errorOutput: any TextOutput
    let standardOutput: any TextOutput
    let clock: any BatchClock
    let interrupts: InterruptSource

    func execute() async throws -> ExitCode {
        let reporter = ProgressReporter(
            errorOutput: errorOutput, jsonOutput: options.json ? standardOutput : nil, clock: clock)
        let list = try PoolListReader.read(path: options.csvPath, column: options.column)
        for duplicate in list.duplicates {
            reporter.handle(
                .warning(
                    "\(options.csvPath):\(duplicate.line): pool \(duplicate.id) repeats line \(duplicate.firstLine); it is cloned once"
                ))
        }
        if options.dryRun {
            return try plan(list.poolIDs, reporter: reporter)
        }

        let simulator = options.simulate ? try startSimulator(reporter: reporter) : nil
        defer { simulator?.stop() }
        let baseURL = simulator?.baseURL ?? options.baseURL
        let authorization: String
        if simulator != nil {
            authorization = "ApiKey simulated"
        } else {
            guard let token = environment["TOLOKA_TOKEN"], !token.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw CLIError.missingToken
            }
            authorization = TolokaCredentials.authorization(for: token)
        }

        var paths = try filePaths(simulated: simulator != nil)
        paths.ledger = try LedgerLocation(paths.state, baseURL: baseURL, account: options.actUnderAccount)
        defer {
            if let folder = paths.temporaryFolder { try? FileManager.default.removeItem(atPath: folder) }
        }
        let (journal, state) = try JournalFile.open(path: paths.journal)
        defer { journal.close() }

        var configuration = options.runConfiguration
        configuration.progressSnapshots = errorOutput.isTerminal
        configuration.afterIntentRecorded = Failpoint(environment["BATCH_CLONE_FAILPOINT"])?.afterIntentRecorded

        let client = TolokaClient(
            baseURL: baseURL, authorization: authorization, actUnderAccount: options.actUnderAccount,
            transport: URLSessionTransport(), clock: clock,
            onRetry: { request, error, wait in
                reporter.say("\(request): \(error); retrying in \(String(format: "%.1f", wait))s")
            })
        let run = BatchRun(
            pools: list.poolIDs, state: state, api: client, ledgerStore: paths.ledger!.store(clock: clock),
            journal: journal, clock: clock, configuration: configuration, observer: reporter.handle)

        let task = Task { try await run.run() }
        interrupts.onInterrupt {
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
        } catch {
            failure = failure ?? CLIError(error)
        }
        let exitCode = failure?.exitCode ?? Self.exitCode(for: summary)
        report(summary, failure: failure, exitCode: exitCode, paths: paths, reporter: reporter)
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

    func filePaths(simulated: Bool) throws -> Paths {
        if simulated {
            // A rehearsal never touches the real journal or ledger: the simulator forgets everything.
            let folder = NSTemporaryDirectory() + "batch-clone-simulate-\(getpid())-\(UUID().uuidString.prefix(8))"
            return Paths(
                state: options.statePath ?? folder + "/state.json",
                journal: options.journalPath ?? folder + "/run.journal",
                output: options.outputPath ?? DefaultPaths.results(forCSV: options.csvPath),
                temporaryFolder: folder)
        }
        return Paths(
            state: LedgerLocation.stateValue(option: options.statePath, environment: environment)
                ?? DefaultPaths.state(for: options.baseURL, account: options.actUnderAccount, environment: environment),
            journal: options.journalPath ?? DefaultPaths.journal(forCSV: options.csvPath),
            output: options.outputPath ?? DefaultPaths.results(forCSV: options.csvPath))
    }

    private func startSimulator(reporter: ProgressReporter) throws -> TolokaSimulator {
        var configuration = SimulatorConfiguration()
        configuration.limits = options.limits.map { SimulatedLimit(count: $0.count, window: $0.window) }
        configuration.seed = UInt64(truncatingIfNeeded: clock.now.epochMilliseconds)
        let simulator = TolokaSimulator(configuration: configuration)
        do {
            _ = try simulator.start()
        } catch {
            throw CLIError.simulator("\(error)")
        }
        reporter.say(
            "simulator listening on \(simulator.baseURL.absoluteString) (limits "
                + options.limits.map(\.description).joined(separator: ", ") + ")")
        return simulator
    }

    /// `quota: 0 of 20/1m left, 55 of 100/1d left; next clone possible at ...`, from the shared ledger.
    private func quotaLine(_ location: LedgerLocation?) -> String? {
        guard let (log, now) = try? location?.peek(now: clock.now.epochMilliseconds, clock: clock) else { return nil }
        let ledger = options.runConfiguration.ledger(log)
        let left = ledger.status(now: now).map { "\($0.remaining) of \($0.limit) left" }.joined(separator: ", ")
        let next = ledger.earliestSend(now: now)
        return "quota: \(left); " + (next <= now ? "a clone can go now" : "next clone possible at \(ProgressReporter.time(next))")
    }

    private func report(_ summary: RunSummary, failure: CLIError?, exitCode: ExitCode, paths: Paths, reporter: ProgressReporter) {
        let failed = summary.failed
        var lines = [
            "done: \(summary.cloned) of \(summary.pools.count) pools cloned (\(summary.clonedNow) by this run, "
                + "\(summary.cloned - summary.clonedNow) skipped as cloned earlier, \(summary.clonesSent) clone requests sent), "
                + "\(failed.count) failed, \(summary.unsettled) left"
        ]
        if let quota = quotaLine(paths.ledger) { lines.append(quota) }
        for (pool, reason) in failed.prefix(20) {
            lines.append("  failed: pool \(pool): \(reason)")
        }
        if failed.count > 20 { lines.append("  ... and \(failed.count - 20) more in \(paths.output)") }
        switch summary.stop {
        case .limit(let resumeAt):
            lines.append(
                "the clone quota is used up until \(ProgressReporter.time(resumeAt)); re-run the same command then to resume")
        case .interrupted:
            lines.append("interrupted; progress is saved in \(paths.journal): re-run the same command to resume")
        case .unfinishedOperations(let count):
            lines.append("\(count) clone operation(s) still running on the server; re-run the same command to follow them")
        case nil:
            if summary.clonesSent == 0 && summary.unsettled == 0 && failure == nil {
                lines.append("nothing to do: every pool is settled in \(paths.journal)")
            }
        }
        if let failure {
            lines.append("error: \(failure)")
        }
        lines.append("results: \(paths.output)")
        for line in lines { reporter.say(line) }
        var fields: [String: JSONField] = [
            "event": .string("summary"), "total": .int(summary.pools.count), "cloned": .int(summary.cloned),
            "cloned_now": .int(summary.clonedNow), "clones_sent": .int(summary.clonesSent),
            "failed": .int(failed.count), "left": .int(summary.unsettled), "exit_code": .int(Int(exitCode.rawValue)),
            "results": .string(paths.output), "journal": .string(paths.journal),
        ]
        if case .limit(let resumeAt) = summary.stop {
            fields["resume_at"] = .string(UTCTimestamp.format(milliseconds: resumeAt))
        }
        if let failure { fields["error"] = .string(failure.description) }
        reporter.emit(fields)
    }
}
