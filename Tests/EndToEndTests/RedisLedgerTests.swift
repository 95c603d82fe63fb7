import BatchCloneKit
import BatchCloneTestSupport
import Foundation
import Testing
import TolokaSimulator

/// Several runs on one account coordinated through a real `redis-server` (`--state redis://...`).
extension EndToEnd {
    @Suite(.serialized)
    struct RedisLedgerTests {
        static let limits = [RateLimit(count: 5, window: .seconds(2)), RateLimit(count: 100, window: .seconds(60))]
        static let limitArguments = ["--limit", "5/2s", "--limit", "100/1m"]

        static func simulator() throws -> TolokaSimulator {
            var configuration = SimulatorConfiguration()
            configuration.limits = Schedule.simulated(limits)
            configuration.operationLatency = 0.2...0.5
            let simulator = TolokaSimulator(configuration: configuration)
            try simulator.start()
            return simulator
        }

        static func arguments(_ csv: String, _ simulator: TolokaSimulator, redis: String) -> [String] {
            [csv, "--base-url", simulator.baseURL.absoluteString, "--poll-interval", "200ms"] + limitArguments
                + ["--state", redis]
        }

        /// Each run has its own home (no shared file could coordinate them).
        static func environment(_ workspace: Workspace) -> [String: String] {
            ["TOLOKA_TOKEN": "e2e-token", "HOME": workspace.path("home")]
        }

        static func faketime() throws -> String {
            guard let path = RedisServer.which("faketime") else {
                throw RedisServer.NotInstalled.faketime
            }
            return path
        }

        @Test func twoMachinesWithClocksTwoSecondsApartShareOneQuotaWithoutA429() async throws {
            let redis = try RedisServer.start(password: "e2e-secret")
            defer { redis.stop() }
            let simulator = try Self.simulator()
            defer { simulator.stop() }
            let (first, second) = (try Workspace(), try Workspace())
            defer {
                first.remove()
                second.remove()
            }
            let firstCSV = try first.writePools(Workspace.poolIDs(15, from: 5_000_001))
            let secondCSV = try second.writePools(Workspace.poolIDs(15, from: 6_000_001))

            let runA = try BatchCloneBinary.start(
                Self.arguments(firstCSV, simulator, redis: redis.url),
                in: first.folder,
                environment: Self.environment(first)
            )
            let runB = try BatchCloneBinary.start(
                Self.arguments(secondCSV, simulator, redis: redis.url),
                in: second.folder,
                // Only the wall clock is off: libfaketime's shifted monotonic clock would make Swift's sleeps never end.
                environment: Self.environment(second).merging(["FAKETIME_DONT_FAKE_MONOTONIC": "1"]) { $1 },
                launcher: [try Self.faketime(), "-f", "+2s"]
            )
            let (outcomeA, outcomeB) = (await runA.wait(), await runB.wait())

            #expect(outcomeA.status == 0, "\(outcomeA)")
            #expect(outcomeB.status == 0, "\(outcomeB)")
            let stats = simulator.stats
            #expect(stats.tooManyRequests == 0)
            #expect(stats.clonesPerPool.count == 30)
            #expect(stats.duplicatedPools == [])
            for outcome in [outcomeA, outcomeB] {
                #expect(!(outcome.stderr + outcome.stdout).contains("e2e-secret"), "the password was printed")
            }
            let optimum = Schedule.optimumLastSend(count: 30, limits: Self.limits)
            let observed = Schedule.observedLastSend(stats)
            print("e2e redis: two runs, one 2 s ahead: last clone \(observed)s after the first; optimum \(optimum)s")
            #expect(observed >= optimum * 0.97, "the server saw clones faster than the limits allow")
            #expect(observed <= optimum * 1.10, "the shared schedule is more than 10% slower than the optimum")
        }

        @Test func redisDyingUnderAWaitingRunStopsItWithExit69AndARerunResumes() async throws {
            let port = RedisServer.freePort()
            var redis = try RedisServer.start(port: port)
            defer { redis.stop() }
            let simulator = try Self.simulator()
            defer { simulator.stop() }
            let workspace = try Workspace()
            defer { workspace.remove() }
            let pools = Workspace.poolIDs(20)
            let csv = try workspace.writePools(pools)
            let arguments = Self.arguments(csv, simulator, redis: redis.url)

            let run = try BatchCloneBinary.start(
                arguments,
                in: workspace.folder,
                environment: Self.environment(workspace)
            )
            // Five clones fill the 2 s window: the run is now waiting for its next slot.
            while simulator.stats.acceptedClones < 5 {
                try await Task.sleep(for: .milliseconds(20))
            }
            try await Task.sleep(for: .milliseconds(200))
            redis.stop()
            let killed = ContinuousClock.now
            let sentBeforeDeath = simulator.stats.acceptedClones
            let outcome = await run.wait()
            let stoppedAfter = ContinuousClock.now - killed
            print("e2e redis: run stopped \(stoppedAfter) after Redis died")

            #expect(outcome.status == 69, "\(outcome)")
            #expect(stoppedAfter < .seconds(5))
            #expect(outcome.stderr.contains("redis://127.0.0.1:\(port)"), "\(outcome)")
            #expect(simulator.stats.acceptedClones == sentBeforeDeath, "a clone left without a recorded slot")
            #expect(sentBeforeDeath < pools.count)

            // Redis comes back empty (no persistence): the re-run resumes from its journal.
            redis = try RedisServer.start(port: port)
            let rerun = try await BatchCloneBinary.run(
                arguments,
                in: workspace.folder,
                environment: Self.environment(workspace)
            )
            #expect(rerun.status == 0, "\(rerun)")
            let stats = simulator.stats
            #expect(stats.clonesPerPool.count == pools.count)
            #expect(stats.duplicatedPools == [])
            // The account view seeds the empty Redis from the server's operation list before the first send.
            #expect(rerun.stderr.contains("were made outside this ledger"), "\(rerun.stderr)")
            #expect(stats.tooManyRequests == 0)
        }

        @Test func statusReadsTheSharedLedger() async throws {
            let redis = try RedisServer.start()
            defer { redis.stop() }
            let simulator = try Self.simulator()
            defer { simulator.stop() }
            let workspace = try Workspace()
            defer { workspace.remove() }
            let csv = try workspace.writePools(Workspace.poolIDs(3))
            let run = try await BatchCloneBinary.run(
                Self.arguments(csv, simulator, redis: redis.url),
                in: workspace.folder,
                environment: Self.environment(workspace)
            )
            #expect(run.status == 0, "\(run)")

            let status = try await BatchCloneBinary.run(
                ["status", "--base-url", simulator.baseURL.absoluteString, "--json"] + Self.limitArguments,
                in: workspace.folder,
                environment: Self.environment(workspace).merging(["BATCH_CLONE_STATE": redis.url]) { $1 }
            )
            #expect(status.status == 0, "\(status)")
            #expect(status.stdout.contains("\"used\":3"), "\(status.stdout)")
            #expect(status.stdout.contains("redis://127.0.0.1:\(redis.port)"), "\(status.stdout)")
        }

        @Test func anUnreachableRedisStopsBeforeAnySendWithExit69() async throws {
            let simulator = try Self.simulator()
            defer { simulator.stop() }
            let workspace = try Workspace()
            defer { workspace.remove() }
            let csv = try workspace.writePools(Workspace.poolIDs(3))
            let url = "redis://:hidden@127.0.0.1:\(RedisServer.freePort())"
            let outcome = try await BatchCloneBinary.run(
                Self.arguments(csv, simulator, redis: url),
                in: workspace.folder,
                environment: Self.environment(workspace)
            )
            #expect(outcome.status == 69, "\(outcome)")
            #expect(simulator.stats.acceptedClones == 0)
            #expect(!outcome.stderr.contains("hidden"), "\(outcome)")
            #expect(simulator.stats.requests == 0, "a request reached Toloka before the ledger was checked")
        }
    }
}
