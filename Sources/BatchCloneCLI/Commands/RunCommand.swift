import ArgumentParsing
import BatchCloneKit
import Foundation

/// `batch-clone run`: wires the real files, clock, HTTP client (or the simulator) to a `BatchRun`.
///
/// Each step is a small type of its own in `Run/` (`RunInput`, `RunEndpoint`, `RunPaths`, `RunReports`,
/// `ExitCode.of`), so `run` reads as the order of the steps.
struct RunCommand: Command {
    static var spec: CommandSpec { RunOptions.spec }

    let options: RunOptions

    init(_ arguments: ParsedArguments, environment: [String: String]) throws(ArgumentError) {
        options = try RunOptions(arguments, environment: environment)
    }

    func run(_ context: CommandContext) async throws -> ExitCode {
        let reporter = ProgressReporter(options, context: context)
        if let warning = options.ledger.apiRootWarning { reporter.handle(.warning(warning)) }
        let list = try RunInput.pools(options, reporter: reporter)
        let steps = try RunInput.steps(options, list: list)
        if options.dryRun { return try plan(list, reporter: reporter, context: context) }

        let endpoint = try RunEndpoint(options, context: context, reporter: reporter)
        defer { endpoint.stop() }
        let paths = endpoint.isRehearsal ? RunPaths.rehearsal() : RunPaths(options, environment: context.environment)
        let ledger = try LedgerLocation(
            paths.state,
            baseURL: endpoint.baseURL,
            account: options.ledger.actUnderAccount,
            caFile: options.ledger.redisCA
        )
        if let warning = ledger.warning { reporter.handle(.warning(warning)) }
        let store = try ledger.openedStore(list.target, now: context.clock.localNow)
        defer { paths.removeTemporaryFolder() }
        if endpoint.isRehearsal { reporter.say(paths.rehearsalNotice(options), always: true) }
        let (journalWriter, journalState) = try JournalFile.open(path: paths.journal)
        defer { journalWriter.close() }

        let run = BatchRun(
            items: list.items,
            state: journalState,
            api: endpoint.client(account: options.ledger.actUnderAccount, clock: context.clock, reporter: reporter),
            ledger: store,
            overlapLedger: ledger.store(log: .overlapEdits),
            journal: journalWriter,
            clock: context.clock,
            configuration: configuration(context, steps: steps),
            observer: reporter.handle
        )
        var failure = await Self.execute(run, interrupts: context.interrupts, reporter: reporter)
        let summary = await run.summary()
        reporter.finish()

        let reports = RunReports(
            target: list.target,
            options: options,
            paths: paths,
            ledger: ledger,
            reporter: reporter,
            clock: context.clock
        )
        failure = failure ?? reports.writeFiles(summary)
        let exitCode = ExitCode.of(summary, failure: failure)
        reports.appendStepSummary(summary, exitCode: exitCode, environment: context.environment)
        reports.printSummary(summary, failure: failure, exitCode: exitCode)
        return exitCode
    }

    /// The options' settings and what only the process knows: a terminal wants progress snapshots,
    /// and the crash tests' failpoint.
    func configuration(_ context: CommandContext, steps: StepPlan? = nil) -> RunConfiguration {
        var configuration = options.runConfiguration
        if let steps { configuration.steps = steps }
        configuration.progressSnapshots = context.errorOutput.isTerminal
        let failpoint = Failpoint(context.environment["BATCH_CLONE_FAILPOINT"])
        configuration.afterIntentRecorded = failpoint?.afterIntentRecorded
        configuration.afterStepRecorded = failpoint?.afterStepRecorded
        return configuration
    }

    /// Runs the batch until it ends or Ctrl-C cancels it (progress is saved either way); returns its error.
    private static func execute(
        _ run: BatchRun,
        interrupts: InterruptSource,
        reporter: ProgressReporter
    ) async -> CLIError? {
        let task = Task { try await run.run() }
        interrupts.onInterrupt {
            reporter.say("interrupted: saving progress (press Ctrl-C again to quit at once)")
            task.cancel()
        }
        do {
            _ = try await task.value
            return nil
        } catch {
            return CLIError(error)
        }
    }
}
