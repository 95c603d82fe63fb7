import BatchCloneKit
import Foundation

extension BatchCloneInvocation {
    /// What a run at the kept-sends limits (every send kept) cost, and how many of `pools` the
    /// simulator saw cloned, with the command line that ran.
    struct KeptRun {
        var outcome: ChildProcess.Outcome
        var cloned: Int
        var command: String
    }

    /// Clones `pools` (written to `csv`) against `simulator` with `1000/1s` and `100000/1d` and a 50 ms poll.
    func runKept(_ pools: [String], csv: String, on simulator: BenchSimulator) async throws -> KeptRun {
        let process = run(
            csv: csv,
            baseURL: simulator.baseURL,
            limits: BenchOptions.keptLimits,
            pollInterval: BenchOptions.keptPollInterval,
            label: "batch-clone"
        )
        let outcome = try await process.run()
        let batch = Set(pools)
        let cloned = simulator.simulator.stats.clonesPerPool.keys.filter { batch.contains($0) }.count
        return KeptRun(outcome: outcome, cloned: cloned, command: process.commandLine)
    }
}
