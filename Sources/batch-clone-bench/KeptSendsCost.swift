import BatchCloneKit
import Foundation

/// The client's cost per clone as its state file grows: every send is kept (a day window), a first
/// run on a fresh state file, then a second, longer one on the same file, against one simulator.
struct KeptSendsCost: Sendable {
    let options: BenchOptions
    let workspace: Workspace

    struct Run {
        var outcome: ChildProcess.Outcome
        var command: String
        var pools: Int
        /// Distinct pools of this run that the simulator saw cloned.
        var cloned: Int
        /// API requests of this run, all and `GET /operations` lists.
        var requests: Int
        var lists: Int

        var cpuPerPool: Double {
            cloned > 0 ? outcome.cpuSeconds / Double(cloned) : .infinity
        }
    }

    struct Report {
        var first: Run
        var second: Run
        var ledger: [LedgerUpdateCost.Figure]
    }

    func measure(progress: (String) -> Void) async throws -> Report {
        progress(
            "kept sends: ledger updates alone at \(options.keptPools) and \(options.keptPools + options.keptMorePools) sends"
        )
        let updateCost = LedgerUpdateCost(workspace: workspace)
        let kept = [options.keptPools, options.keptPools + options.keptMorePools]
        let ledger =
            try updateCost.measure(kept: kept, updates: 1_000)
            + updateCost.measureAtRetentionEdge(kept: kept + [20_000], updates: 1_000)
        let simulator = try BenchSimulator(
            limits: BenchOptions.keptLimits,
            latency: BenchOptions.costLatency,
            seed: options.seed
        )
        defer { simulator.stop() }
        let state = try workspace.folder("kept") + "/state.json"
        let firstPools = Workspace.poolIDs(options.keptPools, from: 20_000_000)
        let secondPools = Workspace.poolIDs(options.keptMorePools, from: 20_000_000 + options.keptPools)
        progress("kept sends: batch-clone on \(firstPools.count) pools, every send kept")
        let first = try await run(firstPools, name: "kept-first", state: state, simulator: simulator)
        progress("kept sends: batch-clone on \(secondPools.count) more pools on the same state file")
        let second = try await run(secondPools, name: "kept-second", state: state, simulator: simulator)
        return Report(first: first, second: second, ledger: ledger)
    }

    private func run(_ pools: [String], name: String, state: String, simulator: BenchSimulator) async throws -> Run {
        let csv = try workspace.writeCSV(name + ".csv", pools: pools)
        let statsBefore = simulator.simulator.stats
        var invocation = BatchCloneInvocation(binary: options.binary, folder: try workspace.folder(name))
        invocation.state = state
        let run = try await invocation.runKept(pools, csv: csv, on: simulator)
        let stats = simulator.simulator.stats
        let route = "GET /operations"
        return Run(
            outcome: run.outcome,
            command: run.command,
            pools: pools.count,
            cloned: run.cloned,
            requests: stats.requests - statsBefore.requests,
            lists: (stats.requestsByRoute[route] ?? 0) - (statsBefore.requestsByRoute[route] ?? 0)
        )
    }
}
