import BatchCloneKit
import Foundation

/// Runs the same batch through batch-clone and the common strategies, each against a fresh
/// simulator, and tabulates the figures the simulator recorded.
struct StrategyComparison: Sendable {
    let options: BenchOptions
    let workspace: Workspace

    struct Report {
        var results: [StrategyResult]
        var optimum: Optimum
        /// The exact batch-clone command, to reproduce its row by hand.
        var batchCloneCommand: String
    }

    func run(progress: (String) -> Void) async throws -> Report {
        let pools = Workspace.poolIDs(options.pools)
        let csv = try workspace.writeCSV("pools.csv", pools: pools)

        progress("1/4 batch-clone on \(pools.count) pools")
        // batch-clone runs alone so that nothing else competes with the product's figures.
        let (first, command) = try await runBatchClone(pools: pools, csv: csv)
        var results = [first]

        let strategies: [any PacingStrategy] = [
            CloneAndWaitStrategy(timeScale: BenchOptions.timeScale(options.limits)),
            FixedSpacingStrategy(limits: options.limits),
            TokenBucketStrategy(limits: options.limits),
        ]
        if options.sequential {
            for (index, strategy) in strategies.enumerated() {
                progress("\(index + 2)/4 \(strategy.name)")
                results.append(try await runInProcess(strategy, pools: pools))
            }
        } else {
            // Side by side: each has its own simulator and mostly sleeps, and it halves the run time.
            progress("2-4/4 \(strategies.map(\.name).joined(separator: "; ")), side by side")
            let others = try await withThrowingTaskGroup(of: (Int, StrategyResult).self) { group in
                for (index, strategy) in strategies.enumerated() {
                    group.addTask { (index, try await runInProcess(strategy, pools: pools)) }
                }
                var collected: [(Int, StrategyResult)] = []
                for try await result in group { collected.append(result) }
                return collected.sorted { $0.0 < $1.0 }.map(\.1)
            }
            results += others
        }
        return Report(
            results: results,
            optimum: Optimum(limits: options.limits, sends: pools.count),
            batchCloneCommand: command
        )
    }

    private func runBatchClone(pools: [String], csv: String) async throws -> (StrategyResult, String) {
        let simulator = try BenchSimulator(limits: options.limits, latency: options.latency, seed: options.seed)
        defer { simulator.stop() }
        let invocation = BatchCloneInvocation(binary: options.binary, folder: try workspace.folder("strategy-1"))
        let child = invocation.run(
            csv: csv,
            baseURL: simulator.baseURL,
            limits: options.limits,
            pollInterval: options.pollInterval,
            label: "batch-clone"
        )
        let outcome = try await child.run()
        let problem = outcome.succeeded ? nil : "\(outcome.statusDescription): \(outcome.stderrTail(lines: 3))"
        let result = StrategyResult(
            name: "batch-clone",
            pools: pools,
            stats: simulator.simulator.stats,
            problem: problem
        )
        return (result, child.commandLine)
    }

    private func runInProcess(_ strategy: any PacingStrategy, pools: [String]) async throws -> StrategyResult {
        let simulator = try BenchSimulator(limits: options.limits, latency: options.latency, seed: options.seed)
        defer { simulator.stop() }
        let client = StrategyClient(baseURL: simulator.baseURL, windows: simulator.windows)
        var problem: String?
        do {
            try await strategy.clone(pools, with: client)
        } catch {
            // Its figures so far still go in the table, with the reason it stopped.
            problem = "\(error)"
        }
        return StrategyResult(name: strategy.name, pools: pools, stats: simulator.simulator.stats, problem: problem)
    }

    /// The strategy table: one row per strategy, ratios against the zero-margin optimum.
    static func table(_ report: Report) -> TextTable {
        var table = TextTable([
            ("#", .right), ("strategy", .left), ("pools", .right), ("last send", .right), ("optimum", .right),
            ("ratio", .right), ("429s", .right), ("duplicates", .right),
        ])
        let optimum = report.optimum.lastSend
        for (index, result) in report.results.enumerated() {
            table.add([
                "\(index + 1)", result.name,
                result.cloned == result.pools ? "\(result.pools)" : "\(result.cloned)/\(result.pools)",
                Format.seconds(result.lastSend), Format.seconds(optimum),
                optimum > 0 ? Format.ratio(result.lastSend / optimum) : "-",
                "\(result.tooManyRequests)", "\(result.duplicates)",
            ])
        }
        return table
    }
}
