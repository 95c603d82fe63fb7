import BatchCloneKit
import Foundation
import Testing
import TolokaSimulator

/// Server behaviour the ledger cannot foresee: foreign usage, transient faults, failed operations, auth errors.
extension EndToEnd {
    @Suite(.serialized)
    struct FaultTests {
        /// Successful clone operations per source pool, read back from the simulator's operation list.
        static func successfulClones(_ simulator: TolokaSimulator) async throws -> [String: Int] {
            let client = TolokaClient(
                baseURL: simulator.baseURL,
                authorization: "OAuth e2e-token",
                transport: URLSessionTransport(),
                clock: SystemClock(),
                retryPolicy: RetryPolicy(maxAttempts: 20, baseDelay: 0.01, maxDelay: 0.05)
            )
            var counts: [String: Int] = [:]
            var query = OperationQuery(submittedAtOrAfter: ServerInstant(epochMilliseconds: 0))
            while true {
                let page = try await client.operations(query)
                for operation in page.items where operation.type == "POOL.CLONE" && operation.status == .success {
                    counts[operation.sourcePoolID ?? "?", default: 0] += 1
                }
                guard page.hasMore, let last = page.items.last else { return counts }
                query.idAfter = last.id
            }
        }

        @Test func foreignUsageFlakyReadsAndFailedOperationsStillCloneEachPoolOnce() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try CoreRunTests.simulator { configuration in
                configuration.faults.foreignClones = 8
                configuration.faults.getFailureRate = 0.2
                configuration.faults.operationFailRate = 0.05
                configuration.seed = 42
            }
            defer { simulator.stop() }
            let pools = Workspace.poolIDs(60)
            let csv = try workspace.writePools(pools)

            let outcome = try await BatchCloneBinary.run(
                CoreRunTests.arguments(csv, simulator, workspace, extra: ["--max-attempts", "6"]),
                in: workspace.folder
            )

            #expect(outcome.status == 0, "\(outcome)")
            let stats = simulator.stats
            print(
                "e2e faults: \(stats.tooManyRequests) answers 429, \(stats.injectedFaults) injected faults, \(stats.acceptedClones) clones accepted for 60 pools"
            )
            // The account's list shows the foreign clones before the first send: no 429 at all.
            #expect(stats.tooManyRequests == 0, "the account view should have counted the foreign usage")
            #expect(outcome.stderr.contains("8 clones in the last"), "\(outcome.stderr)")
            #expect(stats.injectedFaults > 0)
            let successes = try await Self.successfulClones(simulator)
            #expect(
                successes.filter { $0.key.hasPrefix("5") } == Dictionary(uniqueKeysWithValues: pools.map { ($0, 1) })
            )
            let rows = try workspace.results()
            #expect(rows.count == 60 && rows.allSatisfy { $0["status"] == "cloned" })
        }

        @Test func lostCloneAnswersAreReconciledNotResent() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try CoreRunTests.simulator { configuration in
                configuration.faults.postCommitThenFailRate = 0.15
                configuration.faults.postCommitThenDropRate = 0.15
                configuration.seed = 3
            }
            defer { simulator.stop() }
            let csv = try workspace.writePools(Workspace.poolIDs(30))

            let outcome = try await BatchCloneBinary.run(
                CoreRunTests.arguments(csv, simulator, workspace),
                in: workspace.folder
            )

            #expect(outcome.status == 0, "\(outcome)")
            #expect(outcome.stderr.contains("found its clone on the server"))
            #expect(simulator.stats.clonesPerPool.count == 30)
            #expect(simulator.stats.duplicatedPools == [])
        }

        @Test func badTokenStopsAtOnceWithExit77() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try CoreRunTests.simulator { $0.token = "right" }
            defer { simulator.stop() }
            let csv = try workspace.writePools(Workspace.poolIDs(5))

            let outcome = try await BatchCloneBinary.run(
                CoreRunTests.arguments(csv, simulator, workspace),
                in: workspace.folder,
                environment: ["TOLOKA_TOKEN": "wrong"]
            )

            #expect(outcome.status == 77, "\(outcome)")
            #expect(outcome.stderr.contains("authentication failed"))
            #expect(simulator.stats.requests == 1)
            #expect(simulator.stats.acceptedClones == 0)
        }

        @Test func forbiddenAndBusyPools() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try CoreRunTests.simulator { configuration in
                configuration.faults.forbiddenPools = ["5000003"]
                configuration.faults.lockedPools = ["5000002": 2]
            }
            defer { simulator.stop() }
            let csv = try workspace.writePools(Workspace.poolIDs(4))

            let outcome = try await BatchCloneBinary.run(
                CoreRunTests.arguments(csv, simulator, workspace),
                in: workspace.folder
            )

            #expect(outcome.status == 1, "\(outcome)")
            let rows = try workspace.results()
            #expect(rows.map { $0["status"] ?? "" } == ["cloned", "cloned", "failed", "cloned"])
            #expect(simulator.stats.clonesPerPool == ["5000001": 1, "5000002": 1, "5000004": 1])
        }

        @Test func everyPoolForbiddenMeansTheAccountHasNoAccess() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let pools = Workspace.poolIDs(6)
            let simulator = try CoreRunTests.simulator { $0.faults.forbiddenPools = Set(pools) }
            defer { simulator.stop() }
            let csv = try workspace.writePools(pools)

            let outcome = try await BatchCloneBinary.run(
                CoreRunTests.arguments(csv, simulator, workspace),
                in: workspace.folder
            )

            #expect(outcome.status == 77, "\(outcome)")
            #expect(simulator.stats.requestsByRoute["GET /pools/{id}"] == 3)
        }
    }
}
