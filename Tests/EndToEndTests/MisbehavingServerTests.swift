import BatchCloneKit
import Foundation
import Testing
import TolokaSimulator

/// A server or proxy that misbehaves: permanent 409s, HTML refusals, redirects to another origin, plain http roots.
extension EndToEnd {
    @Suite(.serialized)
    struct MisbehavingServerTests {
        static let clonePosts = "POST /pools/{id}/clone"

        @Test func aPermanentConflictFailsThatPoolAfterOnePostWhileOthersFinish() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try CoreRunTests.simulator { configuration in
                configuration.faults.cloneFaults["5000002"] = .conflict(code: "INAPPROPRIATE_STATUS")
                configuration.faults.lockedPools = ["5000003": 1]
            }
            defer { simulator.stop() }
            let csv = try workspace.writePools(Workspace.poolIDs(4))

            let outcome = try await BatchCloneBinary.run(
                CoreRunTests.arguments(csv, simulator, workspace),
                in: workspace.folder
            )

            #expect(outcome.status == 1, "\(outcome)")
            let rows = try workspace.results()
            #expect(rows.map { $0["status"] ?? "" } == ["cloned", "failed", "cloned", "cloned"])
            let reason = rows[1]["error"] ?? ""
            #expect(reason.contains("INAPPROPRIATE_STATUS") && reason.contains("request_id"), "\(reason)")
            // One POST for the refused pool, two for the one locked once, one each for the others.
            #expect(simulator.stats.requestsByRoute[Self.clonePosts] == 5)
            #expect(simulator.stats.tooManyRequests == 0)
            #expect(simulator.stats.clonesPerPool == ["5000001": 1, "5000003": 1, "5000004": 1])
        }

        @Test func anHTMLRefusalOnCloneFailsThatPoolAfterOnePost() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try CoreRunTests.simulator { configuration in
                configuration.faults.cloneFaults["5000002"] = .htmlRefusal(status: 403)
                configuration.faults.cloneFaults["5000003"] = .htmlRefusal(status: 400)
            }
            defer { simulator.stop() }
            let csv = try workspace.writePools(Workspace.poolIDs(4))

            let outcome = try await BatchCloneBinary.run(
                CoreRunTests.arguments(csv, simulator, workspace),
                in: workspace.folder
            )

            #expect(outcome.status == 1, "\(outcome)")
            let rows = try workspace.results()
            #expect(rows.map { $0["status"] ?? "" } == ["cloned", "failed", "failed", "cloned"])
            #expect(rows[2]["error"]?.contains("HTTP 400 (text/html)") == true, "\(rows[2])")
            #expect(simulator.stats.requestsByRoute[Self.clonePosts] == 4)
            #expect(simulator.stats.clonesPerPool == ["5000001": 1, "5000004": 1])
        }

        @Test func redirectsOnCheckAndOnCloneNeverReachTheOtherOrigin() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let trap = try CoreRunTests.simulator()
            defer { trap.stop() }
            let location = trap.baseURL.absoluteString + "/pools/5000002"
            let simulator = try CoreRunTests.simulator { configuration in
                configuration.faults.checkFaults["5000002"] = .redirect(status: 302, location: location)
                configuration.faults.cloneFaults["5000003"] = .redirect(status: 307, location: location)
            }
            defer { simulator.stop() }
            let csv = try workspace.writePools(Workspace.poolIDs(4))

            let outcome = try await BatchCloneBinary.run(
                CoreRunTests.arguments(csv, simulator, workspace),
                in: workspace.folder
            )

            #expect(outcome.status == 1, "\(outcome)")
            #expect(trap.stats.requests == 0, "the token reached the redirect target")
            let rows = try workspace.results()
            #expect(rows.map { $0["status"] ?? "" } == ["cloned", "failed", "failed", "cloned"])
            #expect(rows[1]["error"]?.contains("HTTP 302 redirect to http://127.0.0.1:\(trap.baseURL.port!)") == true)
            #expect(
                simulator.stats.requestsByRoute[Self.clonePosts] == 3,
                "no POST for the pool whose check was redirected"
            )
            #expect(simulator.stats.clonesPerPool == ["5000001": 1, "5000004": 1])
        }

        @Test func aHugeAnswerWithoutContentLengthIsCutAtTheCapWithMemoryBounded() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            // Two checks meet 300 MB read until the connection closes, then the retry gets a normal answer.
            let simulator = try CoreRunTests.simulator { configuration in
                configuration.faults.checkFaults["5000002"] = .unframedBody(bytes: 300 << 20)
                configuration.faults.checkFaults["5000003"] = .hugeBody(bytes: 300 << 20)
                configuration.faults.poolFaultLimits = ["5000002": 2, "5000003": 1]
            }
            defer { simulator.stop() }
            let csv = try workspace.writePools(Workspace.poolIDs(3))

            let running = try BatchCloneBinary.start(
                CoreRunTests.arguments(csv, simulator, workspace),
                in: workspace.folder
            )
            let memory = PeakMemory(pid: running.pid)
            let outcome = await running.wait()
            let peak = memory.stop()

            #expect(outcome.status == 0, "\(outcome)")
            let cut = outcome.stderr.components(separatedBy: "\n").filter {
                $0.contains("over the 16777216-byte limit")
            }
            #expect(cut.filter { $0.contains("GET /pools/5000002") }.count == 2, "\(cut)")
            #expect(cut.filter { $0.contains("GET /pools/5000003") }.count == 1, "\(cut)")
            #expect(simulator.stats.clonesPerPool == ["5000001": 1, "5000002": 1, "5000003": 1])
            #expect(peak > 0, "no memory sample of the child")
            #expect(peak < 100 << 20, "peak resident memory \(peak >> 20) MiB")
        }

        @Test func aPlainHTTPRootOffLoopbackIsAUsageErrorEvenForADryRun() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let csv = try workspace.writePools(Workspace.poolIDs(2))

            let refused = try await BatchCloneBinary.run(
                [csv, "--base-url", "http://toloka.dev/api/v1", "--dry-run"],
                in: workspace.folder
            )
            #expect(refused.status == 64, "\(refused)")
            #expect(refused.stderr.contains("--allow-http"))

            let allowed = try await BatchCloneBinary.run(
                [csv, "--base-url", "http://toloka.dev/api/v1", "--dry-run", "--allow-http"],
                in: workspace.folder
            )
            #expect(allowed.status == 0, "\(allowed)")
            #expect(allowed.stderr.contains("warning: --allow-http"))
        }
    }
}
