import BatchCloneKit
import Foundation
import Testing
import TolokaSimulator

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The steps after the clone with the real binary: `--set` with templates, `--open` on clones of
/// templates that expired, and crashes between steps.
extension EndToEnd {
    @Suite(.serialized)
    struct StepsTests {
        static func expiredSimulator() throws -> TolokaSimulator {
            try CoreRunTests.simulator { $0.expiredTemplates = .all }
        }

        /// A CSV with a `team` column beside the pool IDs.
        static func writeTeams(_ pools: [String], _ workspace: Workspace) throws -> String {
            let text = "pool_id,team\n" + pools.enumerated().map { "\($1),team \($0)\n" }.joined()
            try text.write(toFile: workspace.path("pools.csv"), atomically: true, encoding: .utf8)
            return workspace.path("pools.csv")
        }

        /// The whole object of pool `id` as the simulator serves it.
        static func pool(_ id: String, _ simulator: TolokaSimulator) async throws -> [String: Any] {
            var request = URLRequest(url: simulator.baseURL.appendingPathComponent("pools/\(id)"))
            request.setValue("OAuth e2e-token", forHTTPHeaderField: "Authorization")
            let (body, _) = try await URLSession.shared.data(for: request)
            return try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        }

        static let steps = [
            "--set", "private_name={source.private_name} v{copy} ({row.team})", "--set", "will_expire=+30d", "--open",
        ]

        @Test func setWithTemplatesThenOpenMakesExpiredClonesOpen() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try Self.expiredSimulator()
            defer { simulator.stop() }
            let pools = Workspace.poolIDs(4)
            let csv = try Self.writeTeams(pools, workspace)

            let outcome = try await BatchCloneBinary.run(
                CoreRunTests.arguments(csv, simulator, workspace, extra: Self.steps),
                in: workspace.folder
            )

            #expect(outcome.status == 0, "\(outcome)")
            #expect(outcome.stderr.contains("steps: 4 of 4 cloned, 4 edited, 4 opened"), "\(outcome)")
            let rows = try workspace.results()
            #expect(rows.count == 4)
            #expect(rows.allSatisfy { $0["status"] == "cloned" && $0["steps"] == "edited;opened" }, "\(rows)")
            let stats = simulator.stats
            let clones = rows.compactMap { $0["new_pool_id"] }
            #expect(clones.count == 4)
            #expect(stats.editsPerObject == Dictionary(uniqueKeysWithValues: clones.map { ($0, 1) }))
            #expect(stats.opensPerObject == Dictionary(uniqueKeysWithValues: clones.map { ($0, 1) }))
            #expect(stats.tooManyRequests == 0)
            // Each source was read once for its fields (and once by the check before its clone).
            #expect(stats.requestsByRoute["GET /pools/{id}", default: 0] <= 4 * 2 + 4)
            let first = try await Self.pool(clones[0], simulator)
            #expect(first["private_name"] as? String == "pool \(pools[0]) v1 (team 0)")
            #expect(first["status"] as? String == "OPEN")
            let expiry = try #require(first["will_expire"] as? String)
            let days = try #require(UTCTimestamp.parse(expiry)) - Date().epochMilliseconds
            #expect((Int64(29 * 86_400_000)...Int64(31 * 86_400_000)).contains(days), "\(expiry)")
        }

        /// Issue 21: the overlap budget is the account's, so a second run on the same state file right
        /// after the first waits for the first's overlap edits to leave the window instead of meeting a 429.
        @Test func twoRunsOnOneStateFileShareTheOverlapBudgetWithoutA429() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try CoreRunTests.simulator {
                $0.overlapLimits = [SimulatedLimit(count: 2, window: .seconds(3), interval: "HOUR")]
            }
            defer { simulator.stop() }
            let pools = Workspace.poolIDs(4)
            let steps = ["--set", "defaults.default_overlap_for_new_tasks=5", "--overlap-limit", "2/3s"]

            let first = try await BatchCloneBinary.run(
                CoreRunTests.arguments(
                    try workspace.writePools(Array(pools[..<2]), name: "first.csv"),
                    simulator,
                    workspace,
                    extra: steps
                ),
                in: workspace.folder
            )
            let second = try await BatchCloneBinary.run(
                CoreRunTests.arguments(
                    try workspace.writePools(Array(pools[2...]), name: "second.csv"),
                    simulator,
                    workspace,
                    extra: steps
                ),
                in: workspace.folder
            )

            #expect(first.status == 0, "\(first)")
            #expect(second.status == 0, "\(second)")
            #expect(second.stderr.contains("steps: 2 of 2 cloned, 2 edited"), "\(second)")
            let stats = simulator.stats
            #expect(stats.overlapChanges == 4)
            #expect(stats.tooManyRequests == 0, "\(second)")
        }

        @Test func openWithoutANewExpiryFailsWithTheServersReasonAndRetryFailedOpensOnceFixed() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try Self.expiredSimulator()
            defer { simulator.stop() }
            let csv = try workspace.writePools(Workspace.poolIDs(2))

            let refused = try await BatchCloneBinary.run(
                CoreRunTests.arguments(csv, simulator, workspace, extra: ["--open"]),
                in: workspace.folder
            )

            #expect(refused.status == 1, "\(refused)")
            #expect(refused.stderr.contains("CONFLICT_STATE") && refused.stderr.contains("request_id"), "\(refused)")
            let rows = try workspace.results()
            #expect(rows.allSatisfy { $0["status"] == "step failed" && $0["error"]?.contains("will_expire") == true })
            #expect(simulator.stats.opensPerObject.isEmpty)

            // The forgotten edit, added with --retry-failed: no clone again, every clone edited and opened.
            let fixed = try await BatchCloneBinary.run(
                CoreRunTests.arguments(
                    csv,
                    simulator,
                    workspace,
                    extra: ["--set", "will_expire=+7d", "--open", "--retry-failed"]
                ),
                in: workspace.folder
            )
            #expect(fixed.status == 0, "\(fixed)")
            #expect(simulator.stats.acceptedClones == 2)
            #expect(simulator.stats.opensPerObject.values.sorted() == [1, 1])
            #expect(try workspace.results().allSatisfy { $0["steps"] == "edited;opened" })
        }

        @Test func killedAtEveryStepBoundaryEachCloneIsEditedAndOpenedOnce() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try Self.expiredSimulator()
            defer { simulator.stop() }
            let pools = Workspace.poolIDs(3)
            let csv = try Self.writeTeams(pools, workspace)
            let arguments = CoreRunTests.arguments(csv, simulator, workspace, extra: Self.steps)

            var outcomes: [String] = []
            var finished = false
            for _ in 0..<12 {
                let outcome = try await BatchCloneBinary.run(
                    arguments,
                    in: workspace.folder,
                    environment: ["TOLOKA_TOKEN": "e2e-token", "BATCH_CLONE_FAILPOINT": "kill-after-step:1"]
                )
                outcomes.append(outcome.killedBySignal ? "killed" : "exit \(outcome.status)")
                if !outcome.killedBySignal {
                    #expect(outcome.status == 0, "\(outcome)")
                    finished = true
                    break
                }
            }
            #expect(finished, "\(outcomes)")
            // Three clones, two steps each: a kill after each of the first five, the sixth run ends.
            #expect(outcomes.filter { $0 == "killed" }.count >= 5, "\(outcomes)")
            let stats = simulator.stats
            #expect(stats.clonesPerPool == Dictionary(uniqueKeysWithValues: pools.map { ($0, 1) }))
            #expect(
                stats.editsPerObject.count == 3 && stats.editsPerObject.values.allSatisfy { $0 == 1 },
                "\(stats.editsPerObject)"
            )
            #expect(
                stats.opensPerObject.count == 3 && stats.opensPerObject.values.allSatisfy { $0 == 1 },
                "\(stats.opensPerObject)"
            )
            #expect(try workspace.results().allSatisfy { $0["steps"] == "edited;opened" })
        }

        @Test func aTemplateNamingAMissingColumnIsAUsageErrorBeforeAnythingIsSent() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try CoreRunTests.simulator()
            defer { simulator.stop() }
            let csv = try workspace.writePools(Workspace.poolIDs(2))

            let outcome = try await BatchCloneBinary.run(
                CoreRunTests.arguments(csv, simulator, workspace, extra: ["--set", "private_name={row.owner}"]),
                in: workspace.folder
            )

            #expect(outcome.status == 64, "\(outcome)")
            #expect(outcome.stderr.contains("owner"), "\(outcome)")
            #expect(simulator.stats.requests == 0)
        }
    }
}
