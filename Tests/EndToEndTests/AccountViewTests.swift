import BatchCloneKit
import Foundation
import Testing
import TolokaSimulator

extension EndToEnd {
    /// The account's own record of its clones: a fresh state file on an account that cloned elsewhere.
    @Suite(.serialized)
    struct AccountViewTests {
        /// Toloka's 20/min and 100/day scaled down so that a day is a minute.
        static let limits = [RateLimit(count: 20, window: .seconds(6)), RateLimit(count: 100, window: .seconds(60))]
        static let limitArguments = ["--limit", "20/6s", "--limit", "100/60s"]

        static func simulator(history: SimulatedHistory) throws -> TolokaSimulator {
            var configuration = SimulatorConfiguration()
            configuration.limits = Schedule.simulated(limits)
            configuration.operationLatency = 0.2...0.8
            configuration.history = history
            let simulator = TolokaSimulator(configuration: configuration)
            _ = try simulator.start()
            return simulator
        }

        static func arguments(_ csv: String, _ simulator: TolokaSimulator, state: String, extra: [String] = [])
            -> [String]
        {
            [csv, "--base-url", simulator.baseURL.absoluteString, "--state", state, "--poll-interval", "200ms"]
                + limitArguments + extra
        }

        static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

        /// The submit times (epoch ms) of the clones the account made before the simulator started.
        static func historyTimes(_ simulator: TolokaSimulator) async throws -> [Int64] {
            let client = TolokaClient(
                baseURL: simulator.baseURL,
                authorization: "OAuth e2e-token",
                transport: URLSessionTransport(),
                clock: SystemClock(),
                retryPolicy: RetryPolicy(maxAttempts: 20, baseDelay: 0.01, maxDelay: 0.05)
            )
            var times: [Int64] = []
            var query = OperationQuery(submittedAtOrAfter: ServerInstant(epochMilliseconds: 0))
            while true {
                let page = try await client.operations(query)
                for operation in page.items
                where operation.type == "POOL.CLONE"
                    && (Int(operation.sourcePoolID ?? "") ?? 0) >= SimulatedHistory.firstSourcePoolID
                {
                    if let submitted = operation.submitted { times.append(submitted.epochMilliseconds) }
                }
                guard page.hasMore, let last = page.items.last else { return times.sorted() }
                query.idAfter = last.id
            }
        }

        @Test func aFreshStateFileCountsTheAccountsHistoryAndMeetsNo429() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let history = SimulatedHistory(count: 70, span: .seconds(50))
            let simulator = try Self.simulator(history: history)
            defer { simulator.stop() }
            let pools = Workspace.poolIDs(60)
            let csv = try workspace.writePools(pools)

            let outcome = try await BatchCloneBinary.run(
                Self.arguments(csv, simulator, state: workspace.path("fresh-state.json"), extra: ["--max-wait", "2m"]),
                in: workspace.folder
            )

            #expect(outcome.status == 0, "\(outcome)")
            #expect(outcome.stderr.contains("70 clones in the last"), "\(outcome.stderr)")
            #expect(outcome.stderr.contains("were made outside this ledger"))
            let stats = simulator.stats
            #expect(stats.tooManyRequests == 0)
            #expect(stats.clonesPerPool.filter { pools.contains($0.key) }.count == 60)
            #expect(stats.clonesPerPool.filter { pools.contains($0.key) }.values.allSatisfy { $0 == 1 })

            // The fastest schedule the history allows, from the first own clone on.
            let earlier = try await Self.historyTimes(simulator)
            #expect(earlier.count == history.count)
            let own = stats.cloneArrivals.map(Self.milliseconds)
            let first = try #require(own.first)
            let last = try #require(own.last)
            var ledger = RateLimitLedger(limits: Self.limits)
            ledger.log = SendLog(sendInstants: earlier.map(LedgerInstant.init(epochMilliseconds:)))
            let optimum = try #require(
                ledger.projectedSends(count: own.count, now: LedgerInstant(epochMilliseconds: first)).last?
                    .epochMilliseconds
            )
            let ratio = Double(last - first) / Double(optimum - first)
            print(
                "e2e account view: last own clone \(Double(last - first) / 1000)s after the first; optimum \(Double(optimum - first) / 1000)s; ratio \(ratio)"
            )
            #expect(last - first >= optimum - first - 100, "the server saw clones faster than the history allows")
            #expect(ratio <= 1.05, "more than 5% slower than the schedule the history allows")
        }

        @Test func aNearlyFullDayWindowSendsWhatIsLeftStopsWithTheRightResumeTimeAndAResumeFinishes() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let history = SimulatedHistory(count: 97, span: .seconds(50))
            let simulator = try Self.simulator(history: history)
            defer { simulator.stop() }
            let pools = Workspace.poolIDs(10)
            let csv = try workspace.writePools(pools)

            let first = try await BatchCloneBinary.run(
                Self.arguments(
                    csv,
                    simulator,
                    state: workspace.path("runner-1.json"),
                    extra: ["--max-wait", "2s", "--json"]
                ),
                in: workspace.folder
            )

            #expect(first.status == 75, "\(first)")
            #expect(simulator.stats.tooManyRequests == 0)
            #expect(simulator.stats.acceptedClones == 3, "exactly the 3 clones the day window had left")
            let stopped = try #require(
                try EndToEnd.CommandLineExperienceTests.events(first.stdout).first {
                    $0["event"] as? String == "stopped"
                }
            )
            let resumeText = try #require(stopped["resume_at"] as? String)
            let resumeAt = try #require(UTCTimestamp.parse(resumeText))
            // The server takes a 101st clone once the oldest earlier one is a window old.
            let oldest = try #require(try await Self.historyTimes(simulator).first)
            let allowed = oldest + 60_000
            #expect(resumeAt >= allowed, "resume at \(resumeText) is before the server's window frees")
            #expect(resumeAt <= allowed + 3000, "resume at \(resumeText) is needlessly late")

            // Another runner, with a fresh state file, after that time.
            let wait = Double(resumeAt) / 1000 - Date().timeIntervalSince1970
            if wait > 0 { try await Task.sleep(for: .milliseconds(Int64(wait * 1000) + 50)) }
            let second = try await BatchCloneBinary.run(
                Self.arguments(csv, simulator, state: workspace.path("runner-2.json"), extra: ["--max-wait", "1m"]),
                in: workspace.folder
            )

            #expect(second.status == 0, "\(second)")
            #expect(simulator.stats.tooManyRequests == 0)
            #expect(simulator.stats.clonesPerPool.filter { pools.contains($0.key) }.values.allSatisfy { $0 == 1 })
            #expect(simulator.stats.clonesPerPool.filter { pools.contains($0.key) }.count == 10)
        }

        @Test func aServerThatRefusesTheTypeFilterIsListedWithoutIt() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            var configuration = SimulatorConfiguration()
            configuration.limits = Schedule.simulated(Self.limits)
            configuration.history = SimulatedHistory(count: 30, span: .seconds(20))
            configuration.refuseTypeFilter = true
            let simulator = TolokaSimulator(configuration: configuration)
            _ = try simulator.start()
            defer { simulator.stop() }
            let pools = Workspace.poolIDs(15)
            let csv = try workspace.writePools(pools)

            let outcome = try await BatchCloneBinary.run(
                Self.arguments(csv, simulator, state: workspace.path("state.json"), extra: ["--max-wait", "1m"]),
                in: workspace.folder
            )

            #expect(outcome.status == 0, "\(outcome)")
            #expect(outcome.stderr.contains("refused the type filter"))
            #expect(outcome.stderr.contains("30 clones in the last"))
            #expect(simulator.stats.tooManyRequests == 0)
            #expect(simulator.stats.clonesPerPool.filter { pools.contains($0.key) }.values.allSatisfy { $0 == 1 })
        }

        @Test func statusWithATokenShowsTheAccountsClonesAndOfflineOnlyTheLedger() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try Self.simulator(history: SimulatedHistory(count: 12, span: .seconds(30)))
            defer { simulator.stop() }
            let status =
                ["status", "--base-url", simulator.baseURL.absoluteString, "--state", workspace.path("state.json")]
                + Self.limitArguments + ["--json"]

            let online = try await BatchCloneBinary.run(status, in: workspace.folder)
            let offline = try await BatchCloneBinary.run(status + ["--offline"], in: workspace.folder)

            #expect(online.status == 0, "\(online)")
            let report = try #require(
                try JSONSerialization.jsonObject(with: Data(online.stdout.utf8)) as? [String: Any]
            )
            #expect(report["made_elsewhere"] as? Int == 12)
            let limits = try #require(report["limits"] as? [[String: Any]])
            #expect(limits.last?["used"] as? Int == 12, "the day window counts the account's clones")
            #expect(offline.status == 0, "\(offline)")
            let ledgerOnly = try #require(
                try JSONSerialization.jsonObject(with: Data(offline.stdout.utf8)) as? [String: Any]
            )
            #expect(ledgerOnly["made_elsewhere"] is NSNull)
            #expect((ledgerOnly["limits"] as? [[String: Any]])?.last?["used"] as? Int == 0)
            #expect(
                !FileManager.default.fileExists(atPath: workspace.path("state.json")),
                "status never writes the ledger"
            )
        }
    }
}
