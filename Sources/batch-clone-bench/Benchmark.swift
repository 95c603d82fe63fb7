import BatchCloneKit
import DurationFormat
import Foundation

/// The whole benchmark: strategy comparison, client cost, and the goals table.
///
/// Tables go to stdout (Markdown, ready for the README); progress goes to stderr.
struct Benchmark {
    let options: BenchOptions
    let commandLine: String

    /// Goals of issue 6 that the figures are checked against.
    static let scheduleTolerance = 1.02
    static let maxCPUPerPool = 0.005
    static let maxCloneRunRSS = 50 * 1_048_576
    static let maxDryRunSeconds = 1.0
    static let maxDryRunRSS = 60 * 1_048_576
    /// Issue 11: the cost per clone on a state file four times as full grows by at most this factor.
    static let maxKeptGrowth = 1.25
    /// Issue 22: CPU per clone at the smallest batch size, its growth with the batch, and peak memory.
    static let maxBatchCPUPerClone = 0.004
    static let maxBatchGrowth = 1.25
    static let maxSmallBatchRSS = 50 * 1_048_576
    static let maxLargeBatchRSS = 80 * 1_048_576

    /// Exit status: 0 every goal met, 1 some goal missed, 2 the benchmark itself could not run.
    func run() async -> Int32 {
        print("$ \(commandLine)\n")
        guard FileManager.default.isExecutableFile(atPath: options.binary) else {
            Self.progress(
                "error: no batch-clone executable at \(options.binary); build it "
                    + "(swift build -c release --product batch-clone) or pass --binary PATH"
            )
            return 2
        }
        let workspace: Workspace
        do {
            workspace = try Workspace()
        } catch {
            Self.progress("error: cannot create a temporary folder: \(error)")
            return 2
        }
        var goals = GoalTable()
        var keepWorkspace = false
        do {
            if !options.skipStrategies {
                let report = try await StrategyComparison(options: options, workspace: workspace).run(
                    progress: Self.progress
                )
                printStrategies(report)
                addScheduleGoals(report, to: &goals)
                keepWorkspace = keepWorkspace || report.results[0].problem != nil
            }
            if !options.skipCost {
                let report = try await ClientCost(options: options, workspace: workspace).measure(
                    progress: Self.progress
                )
                printCost(report)
                addCostGoals(report, to: &goals)
                keepWorkspace = keepWorkspace || !report.cloneRun.succeeded || !report.dryRun.succeeded
            }
            if !options.skipKept {
                let report = try await KeptSendsCost(options: options, workspace: workspace).measure(
                    progress: Self.progress
                )
                printKept(report)
                addKeptGoals(report, to: &goals)
                keepWorkspace = keepWorkspace || !report.first.outcome.succeeded || !report.second.outcome.succeeded
            }
            if !options.skipBatchSizes {
                let figures = try await BatchSizeCost(options: options, workspace: workspace).measure(
                    progress: Self.progress
                )
                printBatchSizes(figures)
                addBatchSizeGoals(figures, to: &goals)
                keepWorkspace = keepWorkspace || figures.contains { !$0.complete }
            }
            if !options.skipCopies {
                let figures = try await CopiesSchedule(options: options, workspace: workspace).measure(
                    progress: Self.progress
                )
                printCopies(figures)
                addCopiesGoals(figures, to: &goals)
                keepWorkspace = keepWorkspace || figures.contains { !$0.complete }
            }
        } catch {
            Self.progress("error: \(error) (files kept in \(workspace.path))")
            return 2
        }
        if !goals.isEmpty {
            print("Goals\n")
            print(goals.render())
        }
        if keepWorkspace {
            print("batch-clone failed somewhere; its output and files are kept in \(workspace.path)")
        } else {
            workspace.remove()
        }
        return goals.missed == 0 ? 0 : 1
    }

    private func printStrategies(_ report: StrategyComparison.Report) {
        let limits = options.limits.map(\.description).joined(separator: ", ")
        let latency =
            Format.milliseconds(options.latency.lowerBound) + " to " + Format.milliseconds(options.latency.upperBound)
        print(
            "Schedule: \(options.pools) pools, limits \(limits), operation latency \(latency), "
                + "each strategy against a fresh simulator\n"
        )
        print(StrategyComparison.table(report).render())
        print("- last send: first to last accepted clone arrival at the simulator; ratio: last send / optimum.")
        print(
            "- optimum: the k-th send at the earliest instant every window allows; with batch-clone's "
                + "margin (\(marginText)): \(Format.seconds(report.optimum.lastSendWithMargin))."
        )
        if !options.sequential { print("- strategies 2-4 ran side by side, each against its own simulator.") }
        for (index, result) in report.results.enumerated() {
            if let problem = result.problem { print("- \(index + 1) stopped early: \(problem)") }
        }
        print("- batch-clone ran as: \(report.batchCloneCommand)\n")
    }

    private var marginText: String {
        options.limits.map { "+" + DurationFormatter.string($0.defaultMargin) + " on " + $0.description }
            .joined(separator: ", ")
    }

    private func addScheduleGoals(_ report: StrategyComparison.Report, to goals: inout GoalTable) {
        let result = report.results[0]
        let bound = report.optimum.lastSendWithMargin * Self.scheduleTolerance
        goals.add(
            "batch-clone last send within 2% of optimum with margin",
            figure: Format.seconds(result.lastSend),
            target: "<= \(Format.seconds(bound))",
            met: result.lastSend <= bound && result.cloned == result.pools
        )
        goals.add(
            "batch-clone pools cloned",
            figure: "\(result.cloned)",
            target: "\(result.pools)",
            met: result.cloned == result.pools
        )
        goals.add(
            "batch-clone 429 answers",
            figure: "\(result.tooManyRequests)",
            target: "0",
            met: result.tooManyRequests == 0
        )
        goals.add(
            "batch-clone duplicate clones",
            figure: "\(result.duplicates)",
            target: "0",
            met: result.duplicates == 0
        )
    }

    private func printCost(_ report: ClientCost.Report) {
        let run = report.cloneRun
        print(
            "Client cost: \(options.costPools) pools against limit \(BenchOptions.costLimit) "
                + "(latency \(Format.milliseconds(BenchOptions.costLatency.lowerBound)) to "
                + "\(Format.milliseconds(BenchOptions.costLatency.upperBound))): \(run.statusDescription), "
                + "\(report.cloned) cloned, \(report.requests) requests, \(String(format: "%.2f", run.wallSeconds)) s wall, "
                + "\(String(format: "%.3f", run.cpuSeconds)) s CPU"
        )
        print("- ran as: \(report.cloneCommand)")
        print(
            "Dry run: \(options.dryRunRows) rows: \(report.dryRun.statusDescription), "
                + "\(String(format: "%.3f", report.dryRun.wallSeconds)) s wall, "
                + "\(String(format: "%.3f", report.dryRun.cpuSeconds)) s CPU"
        )
        print("- ran as: \(report.dryRunCommand)\n")
    }

    private func addCostGoals(_ report: ClientCost.Report, to goals: inout GoalTable) {
        let run = report.cloneRun
        let rows = options.dryRunRows
        goals.add(
            "CPU per cloned pool (\(options.costPools)-pool run)",
            figure: Format.milliseconds(report.cpuPerPool),
            target: "<= \(Format.milliseconds(Self.maxCPUPerPool))",
            met: run.succeeded && report.cpuPerPool <= Self.maxCPUPerPool
        )
        goals.add(
            "peak memory (\(options.costPools)-pool run)",
            figure: Format.mebibytes(run.maxRSS),
            target: "<= \(Format.mebibytes(Self.maxCloneRunRSS))",
            met: run.succeeded && run.maxRSS <= Self.maxCloneRunRSS
        )
        goals.add(
            "--dry-run time (\(rows) rows)",
            figure: Format.seconds(report.dryRun.wallSeconds),
            target: "< \(Format.seconds(Self.maxDryRunSeconds))",
            met: report.dryRun.succeeded && report.dryRun.wallSeconds < Self.maxDryRunSeconds
        )
        goals.add(
            "--dry-run peak memory (\(rows) rows)",
            figure: Format.mebibytes(report.dryRun.maxRSS),
            target: "<= \(Format.mebibytes(Self.maxDryRunRSS))",
            met: report.dryRun.succeeded && report.dryRun.maxRSS <= Self.maxDryRunRSS
        )
    }

    private func printKept(_ report: KeptSendsCost.Report) {
        let limits = BenchOptions.keptLimits.map(\.description).joined(separator: ", ")
        print("Kept sends: limits \(limits) (every send stays in the state file), one simulator, one state file")
        for (name, run) in [("first", report.first), ("second", report.second)] {
            print(
                "- \(name) run, \(run.pools) pools: \(run.outcome.statusDescription), \(run.cloned) cloned, "
                    + "\(String(format: "%.2f", run.outcome.wallSeconds)) s wall, "
                    + "\(String(format: "%.3f", run.outcome.cpuSeconds)) s CPU, \(Format.milliseconds(run.cpuPerPool)) CPU per clone, "
                    + "\(run.requests) requests (\(run.lists) operation lists)"
            )
            print("  ran as: \(run.command)")
        }
        for figure in report.ledger {
            let kept =
                figure.atRetentionEdge
                ? "\(figure.keptSends) listed clones a day old, one leaving retention per update"
                : "\(figure.keptSends) sends kept"
            print(
                "- the ledger alone, \(kept): \(Format.milliseconds(figure.cpuPerUpdate)) CPU per update "
                    + "(\(figure.updates) slot updates, each appended and fsync'd)"
            )
        }
        print("")
    }

    private func addKeptGoals(_ report: KeptSendsCost.Report, to goals: inout GoalTable) {
        let first = report.first
        let second = report.second
        let sends = first.pools + second.pools
        goals.add(
            "CPU per clone, \(first.pools) sends kept",
            figure: Format.milliseconds(first.cpuPerPool),
            target: "<= \(Format.milliseconds(Self.maxCPUPerPool))",
            met: first.outcome.succeeded && first.cloned == first.pools && first.cpuPerPool <= Self.maxCPUPerPool
        )
        let bound = first.cpuPerPool * Self.maxKeptGrowth
        goals.add(
            "CPU per clone, next \(second.pools) up to \(sends) sends kept",
            figure: Format.milliseconds(second.cpuPerPool),
            target: "<= \(Format.milliseconds(bound))",
            met: second.outcome.succeeded && second.cloned == second.pools && second.cpuPerPool <= bound
        )
    }

    private func printBatchSizes(_ figures: [BatchSizeCost.Figure]) {
        let limits = BenchOptions.keptLimits.map(\.description).joined(separator: ", ")
        print(
            "Batch sizes: limits \(limits), poll \(DurationFormatter.string(BenchOptions.keptPollInterval)), "
                + "operations finishing "
                + "\(Format.milliseconds(BatchSizeCost.operationLatency.lowerBound)) to "
                + "\(Format.milliseconds(BatchSizeCost.operationLatency.upperBound)) after submission, "
                + "a fresh state file and simulator per run, median of \(options.batchRuns) run(s)\n"
        )
        var table = TextTable([
            ("batch", .right), ("server", .left), ("CPU per clone", .right), ("range", .right),
            ("vs smallest", .right), ("peak RSS", .right), ("wall", .right), ("cloned", .right),
        ])
        for figure in figures {
            let base = figures.first { $0.late == figure.late }?.medianCPUPerClone ?? .nan
            let perClone = figure.cpuPerClone
            table.add([
                "\(figure.pools)", figure.late ? "late (5-20 ms)" : "prompt",
                Format.milliseconds(figure.medianCPUPerClone),
                Format.milliseconds(perClone.min() ?? .nan) + "-" + Format.milliseconds(perClone.max() ?? .nan),
                String(format: "%.2f x", figure.medianCPUPerClone / base), Format.mebibytes(figure.medianRSS),
                Format.seconds(figure.medianWall), figure.cloned.map(String.init).joined(separator: "/"),
            ])
        }
        print(table.render())
        for figure in figures where !figure.complete {
            let failed = figure.outcomes.first { !$0.succeeded }
            print(
                "- \(figure.pools) pools (\(figure.late ? "late" : "prompt")) did not clone every pool: "
                    + (failed.map { "\($0.statusDescription): \($0.stderrTail())" } ?? "some pools were not cloned")
            )
        }
        if let command = figures.last?.commands.last { print("- the last run ran as: \(command)") }
        print("")
    }

    private func addBatchSizeGoals(_ figures: [BatchSizeCost.Figure], to goals: inout GoalTable) {
        for late in [false, true] {
            let server = late ? "late server" : "prompt server"
            let ofServer = figures.filter { $0.late == late }
            guard let smallest = ofServer.first else { continue }
            goals.add(
                "CPU per clone, \(smallest.pools) pools, \(server)",
                figure: Format.milliseconds(smallest.medianCPUPerClone),
                target: "<= \(Format.milliseconds(Self.maxBatchCPUPerClone))",
                met: smallest.complete && smallest.medianCPUPerClone <= Self.maxBatchCPUPerClone
            )
            let bound = smallest.medianCPUPerClone * Self.maxBatchGrowth
            for figure in ofServer.dropFirst() {
                goals.add(
                    "CPU per clone, \(figure.pools) pools, \(server)",
                    figure: Format.milliseconds(figure.medianCPUPerClone),
                    target: "<= \(Format.milliseconds(bound))",
                    met: figure.complete && figure.medianCPUPerClone <= bound
                )
            }
            for figure in ofServer where !late {
                let bound = figure.pools <= 400 ? Self.maxSmallBatchRSS : Self.maxLargeBatchRSS
                goals.add(
                    "peak memory, \(figure.pools) pools",
                    figure: Format.mebibytes(figure.medianRSS),
                    target: "<= \(Format.mebibytes(bound))",
                    met: figure.complete && figure.medianRSS <= bound
                )
            }
        }
    }

    private func printCopies(_ figures: [CopiesSchedule.Figure]) {
        let limits = options.limits.map(\.description).joined(separator: ", ")
        print(
            "Copies: limits \(limits), every clone operation \(Format.seconds(CopiesSchedule.operationSeconds)), "
                + "a template busy while its clone runs (409 to another clone of it), "
                + "poll \(DurationFormatter.string(CopiesSchedule.pollInterval)), a fresh simulator per scenario\n"
        )
        print(CopiesSchedule.table(figures).render())
        print(
            "- rate optimum: the last of that many sends at the earliest instant every window allows (no margin); "
                + "chain bound: (copies - 1) x the operation for the source with the most copies, the server's "
                + "lock alone (no poll latency: a client may read as often as it likes); optimum: the larger."
        )
        print(
            "- last send: first to last accepted clone; longest chain sent: the first and last submissions of "
                + "the source with the most copies, from the first submission; refused: clone POSTs answered "
                + "429 or 409; duplicates: clones beyond the copies asked of a source."
        )
        for figure in figures where !figure.complete {
            print(
                "- \(figure.scenario.name): \(figure.outcome.statusDescription), \(figure.cloned) of "
                    + "\(figure.scenario.clones) cloned, \(figure.duplicates) duplicates: \(figure.outcome.stderrTail())"
            )
        }
        if let command = figures.last?.command { print("- the last run ran as: \(command)") }
        print("")
    }

    private func addCopiesGoals(_ figures: [CopiesSchedule.Figure], to goals: inout GoalTable) {
        for figure in figures {
            goals.add(
                "copies \(figure.scenario.name): each source cloned exactly its copies",
                figure: "\(figure.cloned) cloned, \(figure.duplicates) duplicates",
                target: "\(figure.scenario.clones) cloned, 0 duplicates",
                met: figure.complete
            )
            goals.add(
                "copies \(figure.scenario.name): clone POSTs refused (429, 409)",
                figure: "\(figure.refused)",
                target: "0",
                met: figure.refused == 0
            )
        }
    }

    /// Progress on stderr with the elapsed time, so a long run shows it is alive without touching the tables.
    static func progress(_ message: String) {
        FileHandle.standardError.write(Data("[bench \(startedAt.formatted())] \(message)\n".utf8))
    }

    private static let startedAt = ElapsedTime()
}
