import BatchCloneKit
import Foundation

/// The client's own cost, measured on the real binary with the kernel's per-child accounting:
/// a clone run under limits loose enough that it never waits, and a `--dry-run` of a huge CSV.
struct ClientCost: Sendable {
    let options: BenchOptions
    let workspace: Workspace

    struct Report {
        var cloneRun: ChildProcess.Outcome
        var cloneCommand: String
        /// Distinct pools the simulator saw cloned.
        var cloned: Int
        /// Every API request the run made (checks, clones, polls, reconciliation).
        var requests: Int
        var dryRun: ChildProcess.Outcome
        var dryRunCommand: String

        /// CPU seconds per cloned pool: all of the process (start-up, requests, journal and ledger writes).
        var cpuPerPool: Double {
            cloned > 0 ? cloneRun.cpuSeconds / Double(cloned) : .infinity
        }
    }

    func measure(progress: (String) -> Void) async throws -> Report {
        progress("cost: batch-clone on \(options.costPools) pools with loose limits")
        let pools = Workspace.poolIDs(options.costPools)
        let csv = try workspace.writeCSV("cost-pools.csv", pools: pools)
        let simulator = try BenchSimulator(
            limits: [BenchOptions.costLimit],
            latency: BenchOptions.costLatency,
            seed: options.seed
        )
        defer { simulator.stop() }
        let clone = BatchCloneInvocation(binary: options.binary, folder: try workspace.folder("cost"))
            .run(
                csv: csv,
                baseURL: simulator.baseURL,
                limits: [BenchOptions.costLimit],
                pollInterval: options.pollInterval,
                label: "batch-clone"
            )
        let cloneRun = try await clone.run()
        let stats = simulator.simulator.stats
        let batch = Set(pools)

        progress("cost: batch-clone --dry-run on \(options.dryRunRows) rows")
        let bigCSV = try workspace.writeCSV("dry-run-pools.csv", pools: Workspace.poolIDs(options.dryRunRows))
        let dry = BatchCloneInvocation(binary: options.binary, folder: try workspace.folder("dry-run"))
            .dryRun(csv: bigCSV, label: "batch-clone")
        let dryRun = try await dry.run()

        return Report(
            cloneRun: cloneRun,
            cloneCommand: clone.commandLine,
            cloned: stats.clonesPerPool.keys.filter { batch.contains($0) }.count,
            requests: stats.requests,
            dryRun: dryRun,
            dryRunCommand: dry.commandLine
        )
    }
}
