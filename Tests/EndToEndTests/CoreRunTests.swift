import BatchCloneKit
import Foundation
import Testing
import TolokaSimulator

/// The real binary against the simulator over loopback, with limits scaled down from minutes to seconds.
extension EndToEnd {
    @Suite(.serialized)
    struct CoreRunTests {
        static let limits = [RateLimit(count: 20, window: .seconds(3)), RateLimit(count: 100, window: .seconds(15))]
        static let limitArguments = ["--limit", "20/3s", "--limit", "100/15s"]

        static func simulator(missing: Set<String> = [], configure: (inout SimulatorConfiguration) -> Void = { _ in })
            throws
            -> TolokaSimulator
        {
            var configuration = SimulatorConfiguration()
            configuration.limits = Schedule.simulated(limits)
            configuration.operationLatency = 0.2...0.8
            configuration.missingPools = missing
            configure(&configuration)
            let simulator = TolokaSimulator(configuration: configuration)
            try simulator.start()
            return simulator
        }

        static func arguments(_ csv: String, _ simulator: TolokaSimulator, _ workspace: Workspace, extra: [String] = [])
            -> [String]
        {
            [
                csv, "--base-url", simulator.baseURL.absoluteString, "--state", workspace.path("state.json"),
                "--poll-interval", "200ms", "--reconcile-window", "2s",
            ] + limitArguments + extra
        }

        @Test func clonesEveryPoolOnceAtTheOptimumScheduleWithoutA429() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try Self.simulator()
            defer { simulator.stop() }
            let pools = Workspace.poolIDs(150)
            let csv = try workspace.writePools(pools)

            let outcome = try await BatchCloneBinary.run(
                Self.arguments(csv, simulator, workspace),
                in: workspace.folder
            )

            #expect(outcome.status == 0, "\(outcome)")
            let stats = simulator.stats
            #expect(stats.tooManyRequests == 0)
            #expect(stats.clonesPerPool.count == 150)
            #expect(stats.clonesPerPool.values.allSatisfy { $0 == 1 })
            let rows = try workspace.results()
            #expect(rows.count == 150)
            #expect(rows.map { $0["source_pool_id"] } == pools)
            #expect(rows.allSatisfy { $0["status"] == "cloned" && !($0["new_pool_id"] ?? "").isEmpty })
            #expect(Set(rows.compactMap { $0["new_pool_id"] }).count == 150)
            for file in ["pools.journal", "pools.results.csv", "state.json"] {
                let text = try String(contentsOfFile: workspace.path(file), encoding: .utf8)
                #expect(!text.contains("e2e-token"), "\(file) holds the token")
            }

            let optimum = Schedule.optimumLastSend(count: 150, limits: Self.limits)
            let observed = Schedule.observedLastSend(stats)
            print(
                "e2e makespan: last clone sent \(observed)s after the first; optimum with margin \(optimum)s; ratio \(observed / optimum)"
            )
            #expect(observed >= optimum * 0.97, "the server saw clones faster than the limits allow")
            #expect(observed <= optimum * 1.03, "the schedule is more than 3% slower than the optimum")
        }

        @Test func missingPoolsFailWithoutSpendingQuota() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try Self.simulator(missing: ["5000002", "5000004"])
            defer { simulator.stop() }
            let csv = try workspace.writePools(Workspace.poolIDs(5))

            let outcome = try await BatchCloneBinary.run(
                Self.arguments(csv, simulator, workspace),
                in: workspace.folder
            )

            #expect(outcome.status == 1, "\(outcome)")
            let stats = simulator.stats
            #expect(stats.clonesPerPool == ["5000001": 1, "5000003": 1, "5000005": 1])
            #expect(stats.requestsByRoute["POST /pools/{id}/clone"] == 3)
            let rows = try workspace.results()
            #expect(
                rows.filter { $0["status"] == "failed" }.compactMap { $0["source_pool_id"] } == ["5000002", "5000004"]
            )
            #expect(outcome.stderr.contains("pool 5000002 does not exist"))
            #expect(
                outcome.stderr.contains(
                    "done: 3 of 5 pools cloned (3 by this run, 0 skipped as cloned earlier, 3 clone requests sent), 2 failed, 0 left"
                )
            )
        }

        @Test func rerunOfAFinishedBatchIsANoOp() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try Self.simulator()
            defer { simulator.stop() }
            let csv = try workspace.writePools(Workspace.poolIDs(4))
            let first = try await BatchCloneBinary.run(Self.arguments(csv, simulator, workspace), in: workspace.folder)
            #expect(first.status == 0, "\(first)")
            let requestsAfterFirst = simulator.stats.requests

            let second = try await BatchCloneBinary.run(Self.arguments(csv, simulator, workspace), in: workspace.folder)

            #expect(second.status == 0, "\(second)")
            #expect(second.stderr.contains("nothing to do"))
            #expect(simulator.stats.requests == requestsAfterFirst)
            #expect(try workspace.results().count == 4)
        }

        @Test func malformedRowsAreAllReportedAndNothingIsSent() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try Self.simulator()
            defer { simulator.stop() }
            try "pool_id\n1\nabc\n3\n\n4x\n".write(toFile: workspace.path("bad.csv"), atomically: true, encoding: .utf8)

            let outcome = try await BatchCloneBinary.run(
                Self.arguments(workspace.path("bad.csv"), simulator, workspace),
                in: workspace.folder
            )

            #expect(outcome.status == 65, "\(outcome)")
            #expect(outcome.stderr.contains(":3:"))
            #expect(outcome.stderr.contains(":6:"))
            #expect(simulator.stats.requests == 0)
        }

        @Test func usageErrorsNameTheBadValue() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let csv = try workspace.writePools(["1"])
            let badLimit = try await BatchCloneBinary.run([csv, "--limit", "20/3x"], in: workspace.folder)
            #expect(badLimit.status == 64)
            #expect(badLimit.stderr.contains("20/3x"))
            let typo = try await BatchCloneBinary.run([csv, "--max-wiat", "1m"], in: workspace.folder)
            #expect(typo.status == 64)
            #expect(typo.stderr.contains("did you mean '--max-wait'"))
            let missing = try await BatchCloneBinary.run([workspace.path("nope.csv")], in: workspace.folder)
            #expect(missing.status == 66)
            let nothing = try await BatchCloneBinary.run([], in: workspace.folder)
            #expect(nothing.status == 64)
            #expect(nothing.stdout.isEmpty)
            #expect(nothing.stderr.contains("missing argument <pools.csv>"))
            let noToken = try await BatchCloneBinary.run([csv], in: workspace.folder, environment: [:])
            #expect(noToken.status == 64)
            #expect(noToken.stderr.contains("TOLOKA_TOKEN"))
        }
    }
}
