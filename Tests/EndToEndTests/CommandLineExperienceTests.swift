import BatchCloneKit
import Foundation
import Testing
import TolokaSimulator

/// What people and CI see: --json events, --dry-run, status, --reserve, help.
extension EndToEnd {
    @Suite(.serialized)
    struct CommandLineExperienceTests {
        static let schemaPath = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Examples/events.schema.json").path

        /// Every stdout line parsed as a JSON object and checked against the documented schema.
        static func events(_ stdout: String) throws -> [[String: Any]] {
            let validator = try SchemaValidator(path: schemaPath)
            return try stdout.split(separator: "\n").map { line in
                let object = try #require(
                    try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    "\(line)"
                )
                let problems = validator.problems(object)
                #expect(problems.isEmpty, "\(line): \(problems)")
                return object
            }
        }

        @Test func jsonEventsFollowTheDocumentedSchema() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try CoreRunTests.simulator(missing: ["5000003"])
            defer { simulator.stop() }
            let csv = try workspace.writePools(Workspace.poolIDs(25))
            let arguments = CoreRunTests.arguments(csv, simulator, workspace, extra: ["--json"])

            let stopped = try await BatchCloneBinary.run(arguments + ["--max-wait", "1s"], in: workspace.folder)
            #expect(stopped.status == 75, "\(stopped)")
            let first = try Self.events(stopped.stdout)
            let kinds = Set(first.compactMap { $0["event"] as? String })
            #expect(
                kinds.isSuperset(of: ["started", "submitted", "cloned", "failed", "stopped", "summary"]),
                "\(kinds)"
            )
            let summary = try #require(first.last)
            #expect(summary["event"] as? String == "summary")
            #expect(summary["exit_code"] as? Int == 75)
            #expect(summary["resume_at"] is String)

            let resumed = try await BatchCloneBinary.run(arguments, in: workspace.folder)
            #expect(resumed.status == 1, "\(resumed)")
            let second = try Self.events(resumed.stdout)
            let cloned = (first + second).filter { $0["event"] as? String == "cloned" }
            #expect(cloned.count == 24)
            #expect(second.last?["cloned"] as? Int == 24)
            #expect(second.last?["failed"] as? Int == 1)
        }

        @Test func dryRunPlansFromTheJournalAndLedgerWithoutNetwork() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try CoreRunTests.simulator()
            defer { simulator.stop() }
            let csv = try workspace.writePools(Workspace.poolIDs(130))
            let arguments = CoreRunTests.arguments(csv, simulator, workspace)
            let partial = try await BatchCloneBinary.run(arguments + ["--max-wait", "1s"], in: workspace.folder)
            #expect(partial.status == 75, "\(partial)")
            let requests = simulator.stats.requests

            let plan = try await BatchCloneBinary.run(
                [
                    csv, "--state", workspace.path("state.json"), "--dry-run", "--json", "--limit", "20/1m", "--limit",
                    "100/1d",
                ],
                in: workspace.folder,
                environment: [:]
            )

            #expect(plan.status == 0, "\(plan)")
            #expect(simulator.stats.requests == requests)
            #expect(plan.stderr.contains("already cloned:        20"))
            #expect(plan.stderr.contains("to clone:              110"))
            let event = try #require(try Self.events(plan.stdout).first)
            #expect(event["fit_now"] as? Int == 0, "20 sends in the last minute fill the 20/1m window")
            let perDay = try #require(event["per_day"] as? [[String: Any]])
            #expect(perDay.compactMap { $0["count"] as? Int }.reduce(0, +) == 110)
            // Days are UTC calendar days: the 80 sends the rolling day allows take 4-5 minutes at
            // 20/1m, so they all fall on today unless the test runs in the day's last minutes.
            let millisecondsToMidnight = 86_400_000 - Int64(Date().timeIntervalSince1970 * 1000) % 86_400_000
            if millisecondsToMidnight > 10 * 60_000 {
                #expect(perDay.first?["count"] as? Int == 80, "100 per rolling day minus the 20 already sent")
            } else {
                #expect((perDay.first?["count"] as? Int ?? 0) <= 80, "100 per rolling day minus the 20 already sent")
            }
        }

        @Test func statusReportsUsagePerLimit() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try CoreRunTests.simulator()
            defer { simulator.stop() }
            let csv = try workspace.writePools(Workspace.poolIDs(7))
            let run = try await BatchCloneBinary.run(
                CoreRunTests.arguments(csv, simulator, workspace),
                in: workspace.folder
            )
            #expect(run.status == 0, "\(run)")

            let status = try await BatchCloneBinary.run(
                ["status", "--state", workspace.path("state.json"), "--limit", "20/1h", "--limit", "100/1d", "--json"],
                in: workspace.folder,
                environment: [:]
            )

            #expect(status.status == 0, "\(status)")
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
            )
            let limits = try #require(object["limits"] as? [[String: Any]])
            #expect(limits.map { $0["limit"] as? String } == ["20/1h", "100/1d"])
            #expect(limits.map { $0["used"] as? Int } == [7, 7])
            #expect(limits.map { $0["remaining"] as? Int } == [13, 93])

            let text = try await BatchCloneBinary.run(
                ["status", "--state", workspace.path("state.json"), "--limit", "5/1h"],
                in: workspace.folder,
                environment: [:]
            )
            #expect(text.stdout.contains("used 7, remaining 0; next slot at"), "\(text)")
        }

        @Test func reserveLeavesPartOfTheDailyQuota() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try CoreRunTests.simulator()
            defer { simulator.stop() }
            let csv = try workspace.writePools(Workspace.poolIDs(10))

            let outcome = try await BatchCloneBinary.run(
                CoreRunTests.arguments(csv, simulator, workspace, extra: ["--reserve", "96", "--max-wait", "1s"]),
                in: workspace.folder
            )

            #expect(outcome.status == 75, "\(outcome)")
            #expect(simulator.stats.acceptedClones == 4)
            #expect(outcome.stderr.contains("0 of 4/15s left; next clone possible at"), "\(outcome)")
        }

        @Test func helpIsAvailableForEverySubcommand() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            for arguments in [["--help"], ["run", "--help"], ["status", "--help"], ["help"]] {
                let outcome = try await BatchCloneBinary.run(arguments, in: workspace.folder)
                #expect(outcome.status == 0, "\(arguments): \(outcome)")
                #expect(outcome.stdout.contains("USAGE"), "\(arguments)")
                #expect(outcome.stdout.contains("EXAMPLES"), "\(arguments)")
            }
        }
    }
}
