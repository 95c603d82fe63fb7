import BatchCloneKit
import Foundation
import Synchronization
import Testing
import TolokaSimulator

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Crash-proof and exactly-once: kill -9 anywhere, re-run the same command, every pool cloned once.
extension EndToEnd {
    @Suite(.serialized)
    struct ResumeTests {
        @Test func killedAtManyPointsEveryPoolIsClonedExactlyOnce() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let victim = Mutex<Int32?>(nil)
            let killAt: Set<Int> = [3, 11, 24, 37]
            let simulator = try CoreRunTests.simulator { configuration in
                configuration.faults.postCommitThenFailRate = 0.08
                configuration.faults.postCommitThenDropRate = 0.08
                configuration.seed = 7
                // Kill the client after the server committed a clone and before the answer leaves.
                configuration.onCloneCommitted = { _, accepted in
                    if killAt.contains(accepted), let pid = victim.withLock({ $0 }) { kill(pid, SIGKILL) }
                }
            }
            defer { simulator.stop() }
            let pools = Workspace.poolIDs(45)
            let csv = try workspace.writePools(pools)
            let arguments = CoreRunTests.arguments(csv, simulator, workspace)

            var outcomes: [String] = []
            var final: BatchCloneBinary.Outcome?
            for round in 0..<20 {
                let running = try BatchCloneBinary.start(arguments, in: workspace.folder)
                victim.withLock { $0 = running.pid }
                if round % 3 == 2 {
                    // Also kill at an arbitrary moment, wherever the run happens to be.
                    let pid = running.pid
                    Task.detached {
                        try? await Task.sleep(for: .milliseconds(150 + 97 * round))
                        kill(pid, SIGKILL)
                    }
                }
                let outcome = await running.wait()
                victim.withLock { $0 = nil }
                outcomes.append(outcome.killedBySignal ? "killed" : "exit \(outcome.status)")
                if !outcome.killedBySignal && outcome.status == 0 {
                    final = outcome
                    break
                }
                #expect(outcome.killedBySignal || outcome.status == 75, "\(outcome)")
            }
            let outcome = try #require(final, "never finished: \(outcomes)")
            #expect(outcomes.filter { $0 == "killed" }.count >= 4, "\(outcomes)")
            let stats = simulator.stats
            #expect(stats.duplicatedPools == [], "cloned twice: \(stats.duplicatedPools); runs: \(outcomes)")
            #expect(stats.clonesPerPool.count == pools.count)
            #expect(stats.tooManyRequests == 0)
            let rows = try workspace.results()
            #expect(rows.count == pools.count)
            #expect(rows.allSatisfy { $0["status"] == "cloned" }, "\(outcome)")
        }

        @Test func killedBetweenTheIntentAndThePostTheCloneIsSentOnceOnResume() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try CoreRunTests.simulator()
            defer { simulator.stop() }
            let pools = Workspace.poolIDs(12)
            let csv = try workspace.writePools(pools)
            let arguments = CoreRunTests.arguments(csv, simulator, workspace)

            let crashed = try await BatchCloneBinary.run(
                arguments,
                in: workspace.folder,
                environment: ["TOLOKA_TOKEN": "e2e-token", "BATCH_CLONE_FAILPOINT": "kill-after-intent:5"]
            )
            #expect(crashed.killedBySignal && crashed.status == SIGKILL, "\(crashed)")
            #expect(simulator.stats.acceptedClones == 4, "the fifth POST never left")
            let journal = try String(contentsOfFile: workspace.path("pools.journal"), encoding: .utf8)
            #expect(journal.contains(#""event":"sending","pool":"5000005""#))

            let resumed = try await BatchCloneBinary.run(arguments, in: workspace.folder)

            #expect(resumed.status == 0, "\(resumed)")
            #expect(resumed.stderr.contains("pool 5000005: no clone found on the server within --reconcile-window"))
            #expect(simulator.stats.clonesPerPool == Dictionary(uniqueKeysWithValues: pools.map { ($0, 1) }))
            #expect(try workspace.results().allSatisfy { $0["status"] == "cloned" })
        }

        /// A crash between recording the intent and the POST, and one after the server accepted it.
        @Test func interruptedSendsAreReconciledNotRepeated() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try CoreRunTests.simulator()
            defer { simulator.stop() }
            let csv = try workspace.writePools(["5000001", "5000002", "5000003"])
            // The server already has a clone of 5000003 whose answer the crashed run never saw.
            var request = URLRequest(url: simulator.baseURL.appendingPathComponent("pools/5000003/clone"))
            request.httpMethod = "POST"
            request.setValue("OAuth e2e-token", forHTTPHeaderField: "Authorization")
            let (body, _) = try await URLSession.shared.data(for: request)
            let operation = try #require(
                String(decoding: body, as: UTF8.self).split(separator: "\"").dropFirst(3).first
            )
            let now = UTCTimestamp.format(milliseconds: Date().epochMilliseconds)
            let journal = [
                #"{"format":"batch-clone-journal","version":1}"#,
                #"{"event":"listed","pool":"5000001"}"#, #"{"event":"listed","pool":"5000002"}"#,
                #"{"event":"listed","pool":"5000003"}"#,
                #"{"at":"\#(now)","event":"sending","pool":"5000002"}"#,
                #"{"at":"\#(now)","event":"sending","pool":"5000003"}"#,
                #"{"event":"sending","pool":"5000001","at":"\#(now)"#,  // torn: the crash hit mid-write
            ].joined(separator: "\n")
            try journal.write(toFile: workspace.path("pools.journal"), atomically: true, encoding: .utf8)

            let outcome = try await BatchCloneBinary.run(
                CoreRunTests.arguments(csv, simulator, workspace),
                in: workspace.folder
            )

            #expect(outcome.status == 0, "\(outcome)")
            #expect(simulator.stats.clonesPerPool == ["5000001": 1, "5000002": 1, "5000003": 1])
            let rows = try workspace.results()
            #expect(rows.first { $0["source_pool_id"] == "5000003" }?["operation_id"] == String(operation))
            #expect(outcome.stderr.contains("pool 5000003: found its clone on the server"))
            #expect(outcome.stderr.contains("pool 5000002: no clone found on the server"))
        }

        @Test func twoProcessesShareOneStateFileWithout429s() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try CoreRunTests.simulator()
            defer { simulator.stop() }
            let first = try workspace.writePools(Workspace.poolIDs(60, from: 6_000_001), name: "first.csv")
            let second = try workspace.writePools(Workspace.poolIDs(60, from: 7_000_001), name: "second.csv")

            let a = try BatchCloneBinary.start(
                CoreRunTests.arguments(first, simulator, workspace),
                in: workspace.folder
            )
            let b = try BatchCloneBinary.start(
                CoreRunTests.arguments(second, simulator, workspace),
                in: workspace.folder
            )
            let outcomeA = await a.wait()
            let outcomeB = await b.wait()

            #expect(outcomeA.status == 0, "\(outcomeA)")
            #expect(outcomeB.status == 0, "\(outcomeB)")
            let stats = simulator.stats
            #expect(stats.tooManyRequests == 0)
            #expect(stats.clonesPerPool.count == 120)
            #expect(stats.duplicatedPools == [])
            let optimum = Schedule.optimumLastSend(count: 120, limits: CoreRunTests.limits)
            let observed = Schedule.observedLastSend(stats)
            print(
                "e2e two processes: last clone \(observed)s after the first; optimum \(optimum)s; ratio \(observed / optimum)"
            )
            #expect(observed <= optimum * 1.05)
        }

        @Test func aSecondProcessOnTheSameJournalIsRefused() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try CoreRunTests.simulator()
            defer { simulator.stop() }
            let csv = try workspace.writePools(Workspace.poolIDs(25))
            let arguments = CoreRunTests.arguments(csv, simulator, workspace)
            let first = try BatchCloneBinary.start(arguments, in: workspace.folder)
            // Wait until the first run holds the journal.
            for _ in 0..<200 where !FileManager.default.fileExists(atPath: workspace.path("pools.journal")) {
                try await Task.sleep(for: .milliseconds(10))
            }

            let second = try await BatchCloneBinary.run(arguments, in: workspace.folder)
            let firstOutcome = await first.wait()

            #expect(second.status == 75, "\(second)")
            #expect(second.stderr.contains("in use by another batch-clone process"))
            #expect(firstOutcome.status == 0, "\(firstOutcome)")
            #expect(simulator.stats.duplicatedPools == [])
        }

        @Test func interruptSavesProgressAndExits130() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try CoreRunTests.simulator()
            defer { simulator.stop() }
            let csv = try workspace.writePools(Workspace.poolIDs(40))
            let arguments = CoreRunTests.arguments(csv, simulator, workspace)
            let running = try BatchCloneBinary.start(arguments, in: workspace.folder)
            while simulator.stats.acceptedClones < 20 { try await Task.sleep(for: .milliseconds(20)) }
            running.signal(SIGINT)
            let interrupted = await running.wait()
            #expect(interrupted.status == 130, "\(interrupted)")
            #expect(interrupted.stderr.contains("re-run the same command to resume"))

            let resumed = try await BatchCloneBinary.run(arguments, in: workspace.folder)

            #expect(resumed.status == 0, "\(resumed)")
            #expect(simulator.stats.clonesPerPool.count == 40)
            #expect(simulator.stats.duplicatedPools == [])
        }

        @Test func aFullQuotaStopsWith75AndTheRerunResumes() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try CoreRunTests.simulator()
            defer { simulator.stop() }
            let csv = try workspace.writePools(Workspace.poolIDs(30))
            let arguments = CoreRunTests.arguments(csv, simulator, workspace)

            let stopped = try await BatchCloneBinary.run(arguments + ["--max-wait", "1s"], in: workspace.folder)
            #expect(stopped.status == 75, "\(stopped)")
            #expect(stopped.stderr.contains("re-run the same command then to resume"))
            #expect(simulator.stats.acceptedClones == 20)
            #expect(try workspace.results().filter { $0["status"] == "cloned" }.count == 20)

            let resumed = try await BatchCloneBinary.run(arguments, in: workspace.folder)
            #expect(resumed.status == 0, "\(resumed)")
            #expect(simulator.stats.clonesPerPool.count == 30)
            #expect(simulator.stats.duplicatedPools == [])
            #expect(simulator.stats.tooManyRequests == 0)
        }
    }
}
