import BatchCloneKit
import Foundation

/// The client's cost per clone as the batch grows (issue 22): each size on a fresh state file
/// against a fresh simulator, every send kept (`1000/1s` and `100000/1d`), with a prompt server and
/// with one that answers every request 5-20 ms late; the median of several runs of each.
struct BatchSizeCost: Sendable {
    let options: BenchOptions
    let workspace: Workspace

    /// Clone operations finish this long after submission, as in the issue's measurement.
    static let operationLatency: ClosedRange<Double> = 0.01...0.05
    /// How late the late server answers each request.
    static let lateAnswers: ClosedRange<Duration> = Duration.milliseconds(5)...Duration.milliseconds(20)

    /// One batch size against one kind of server, over every run.
    struct Figure {
        var pools: Int
        var late: Bool
        var outcomes: [ChildProcess.Outcome] = []
        /// Distinct pools of the batch the simulator saw cloned, per run.
        var cloned: [Int] = []
        var commands: [String] = []

        var cpuPerClone: [Double] {
            zip(outcomes, cloned).map { outcome, cloned in
                cloned > 0 ? outcome.cpuSeconds / Double(cloned) : .infinity
            }
        }
        var medianCPUPerClone: Double { Self.median(cpuPerClone) }
        var medianRSS: Int { Int(Self.median(outcomes.map { Double($0.maxRSS) })) }
        var medianWall: Double { Self.median(outcomes.map(\.wallSeconds)) }
        /// Every run ended well and cloned the whole batch.
        var complete: Bool { outcomes.allSatisfy(\.succeeded) && cloned.allSatisfy { $0 == pools } }

        static func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            guard !sorted.isEmpty else { return .nan }
            let middle = sorted.count / 2
            return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        }
    }

    func measure(progress: (String) -> Void) async throws -> [Figure] {
        var figures: [Figure] = []
        for late in [false, true] {
            for pools in options.batchSizes {
                var figure = Figure(pools: pools, late: late)
                let ids = Workspace.poolIDs(pools, from: 30_000_000)
                let csv = try workspace.writeCSV("batch-\(pools).csv", pools: ids)
                for run in 1...options.batchRuns {
                    progress(
                        "batch size: \(pools) pools, \(late ? "late" : "prompt") server, run \(run) of \(options.batchRuns)"
                    )
                    let run = try await clone(
                        ids,
                        csv: csv,
                        name: "batch-\(pools)-\(late ? "late" : "prompt")-\(run)",
                        late: late
                    )
                    figure.outcomes.append(run.outcome)
                    figure.cloned.append(run.cloned)
                    figure.commands.append(run.command)
                }
                figures.append(figure)
            }
        }
        return figures
    }

    /// One run on a fresh state file and a fresh simulator: what it cost, how many it cloned, the command.
    private func clone(_ pools: [String], csv: String, name: String, late: Bool) async throws
        -> BatchCloneInvocation.KeptRun
    {
        let simulator = try BenchSimulator(
            limits: BenchOptions.keptLimits,
            latency: Self.operationLatency,
            seed: options.seed,
            responseDelay: late ? Self.lateAnswers : nil
        )
        defer { simulator.stop() }
        return try await BatchCloneInvocation(binary: options.binary, folder: try workspace.folder(name))
            .runKept(pools, csv: csv, on: simulator)
    }
}
