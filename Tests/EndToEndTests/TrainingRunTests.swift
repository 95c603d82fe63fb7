import BatchCloneKit
import Foundation
import Testing
import TolokaSimulator

/// Issue 21: trainings are cloned through their own endpoint under their own limits, kept apart
/// from pool clones in the same state file, so a pool batch and a training batch side by side each
/// go at their own limits' pace.
extension EndToEnd {
    @Suite(.serialized)
    struct TrainingRunTests {
        @Test func aPoolBatchAndATrainingBatchSideBySideEachKeepTheirOwnLimits() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let limits = CoreRunTests.limits
            let simulator = try CoreRunTests.simulator { configuration in
                configuration.trainingLimits = Schedule.simulated(limits)
            }
            defer { simulator.stop() }
            let pools = Workspace.poolIDs(40)
            let trainings = Workspace.poolIDs(40, from: 7_000_001)
            let poolCSV = try workspace.writePools(pools)
            let trainingCSV = try workspace.writePools(trainings, name: "trainings.csv", column: "training_id")

            async let poolRun = BatchCloneBinary.run(
                CoreRunTests.arguments(poolCSV, simulator, workspace),
                in: workspace.folder
            )
            async let trainingRun = BatchCloneBinary.run(
                CoreRunTests.arguments(trainingCSV, simulator, workspace),
                in: workspace.folder
            )
            let (poolOutcome, trainingOutcome) = try await (poolRun, trainingRun)

            #expect(poolOutcome.status == 0, "\(poolOutcome)")
            #expect(trainingOutcome.status == 0, "\(trainingOutcome)")
            let stats = simulator.stats
            #expect(stats.tooManyRequests == 0)
            #expect(stats.clonesPerPool.count == 40 && stats.clonesPerPool.values.allSatisfy { $0 == 1 })
            #expect(stats.clonesPerTraining.count == 40 && stats.clonesPerTraining.values.allSatisfy { $0 == 1 })
            #expect(Set(stats.clonesPerTraining.keys) == Set(trainings))
            // Each batch alone needs 40 sends under 20/3s (3.06 s with the margin). Had they shared
            // one budget, 80 sends would need 9.18 s and the later batch at least 6.12 s of it; side by
            // side, neither waits for the other's window, so each stays near its own optimum (the bound
            // leaves room for process start-up on a loaded machine, far below the shared case).
            let optimum = Schedule.optimumLastSend(count: 40, limits: limits)
            let shared = Schedule.optimumLastSend(count: 80, limits: limits)
            let poolSpan = try #require(Self.span(stats.cloneArrivals))
            let trainingSpan = try #require(Self.span(stats.trainingCloneArrivals))
            print(
                "e2e side by side: pools \(poolSpan)s, trainings \(trainingSpan)s, optimum \(optimum)s each, \(shared)s shared"
            )
            #expect(
                poolSpan >= optimum * 0.97 && trainingSpan >= optimum * 0.97,
                "a target went faster than its limits"
            )
            #expect(poolSpan <= optimum * 1.5 && trainingSpan <= optimum * 1.5)
            let rows = try workspace.results("trainings.results.csv")
            #expect(rows.count == 40)
            #expect(rows.allSatisfy { $0["status"] == "cloned" && $0["target"] == "training" })
            let state = try String(contentsOfFile: workspace.path("state.json"), encoding: .utf8)
            #expect(state.contains("\"target\": \"training\""))
        }

        /// The steps after the clone take the training's own endpoints: GET and PUT of
        /// `/trainings/{id}`, then its open, on clones of trainings whose `will_expire` is past.
        @Test func setAndOpenOnClonedTrainingsEditAndOpenEachOnce() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try CoreRunTests.simulator { $0.expiredTemplates = .all }
            defer { simulator.stop() }
            let trainings = Workspace.poolIDs(3, from: 7_000_001)
            let csv = try workspace.writePools(trainings, name: "trainings.csv", column: "training_id")

            let outcome = try await BatchCloneBinary.run(
                CoreRunTests.arguments(
                    csv,
                    simulator,
                    workspace,
                    extra: ["--set", "private_name={source.private_name} again", "--set", "will_expire=+7d", "--open"]
                ),
                in: workspace.folder
            )

            #expect(outcome.status == 0, "\(outcome)")
            #expect(outcome.stderr.contains("steps: 3 of 3 cloned, 3 edited, 3 opened"), "\(outcome)")
            let rows = try workspace.results("trainings.results.csv")
            #expect(rows.allSatisfy { $0["target"] == "training" && $0["steps"] == "edited;opened" }, "\(rows)")
            let clones = rows.compactMap { $0["new_pool_id"] }
            #expect(clones.count == 3)
            let stats = simulator.stats
            #expect(stats.clonesPerTraining == Dictionary(uniqueKeysWithValues: trainings.map { ($0, 1) }))
            #expect(stats.clonesPerPool.isEmpty)
            #expect(stats.editsPerObject == Dictionary(uniqueKeysWithValues: clones.map { ($0, 1) }))
            #expect(stats.opensPerObject == Dictionary(uniqueKeysWithValues: clones.map { ($0, 1) }))
            #expect(stats.requestsByRoute["PUT /trainings/{id}", default: 0] == 3, "\(stats.requestsByRoute)")
            #expect(stats.requestsByRoute["POST /trainings/{id}/open", default: 0] == 3, "\(stats.requestsByRoute)")
            #expect(stats.requestsByRoute["PUT /pools/{id}", default: 0] == 0)
        }

        /// Seconds from the first arrival to the last.
        static func span(_ arrivals: [Date]) -> Double? {
            guard let first = arrivals.min(), let last = arrivals.max() else { return nil }
            return last.timeIntervalSince(first)
        }
    }
}
