import Foundation
import Testing
import TolokaSimulator

/// At home in CI and in a shell: JUnit report, GitHub step summary, version, completions, quiet, colour.
extension EndToEnd {
    @Suite(.serialized)
    struct ShellAndCITests {
        @Test func aStoppedRunWritesJUnitWithPassedFailedAndSkippedPoolsAndAStepSummary() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try CoreRunTests.simulator(missing: ["5000003"])
            defer { simulator.stop() }
            let csv = try workspace.writePools(Workspace.poolIDs(25))
            let summaryPath = workspace.path("step-summary.md")
            try "## earlier step\n".write(toFile: summaryPath, atomically: true, encoding: .utf8)

            let outcome = try await BatchCloneBinary.run(
                CoreRunTests.arguments(
                    csv,
                    simulator,
                    workspace,
                    extra: ["--max-wait", "1s", "--junit", workspace.path("junit.xml")]
                ),
                in: workspace.folder,
                environment: ["TOLOKA_TOKEN": "e2e-token", "GITHUB_STEP_SUMMARY": summaryPath]
            )

            #expect(outcome.status == 75, "\(outcome)")
            let report = JUnitValidator.validate(
                try Data(contentsOf: URL(fileURLWithPath: workspace.path("junit.xml")))
            )
            #expect(report.problems.isEmpty, "\(report.problems)")
            #expect(report.cases.count == 25)
            let failed = report.cases.filter { $0.outcome == "failure" }
            #expect(failed.map(\.name) == ["pool 5000003"])
            #expect(failed.first?.message?.contains("5000003") == true)
            let skipped = report.cases.filter { $0.outcome == "skipped" }
            #expect(!skipped.isEmpty, "the 20/3s window stops the run before the last pools")
            #expect(skipped.allSatisfy { $0.message?.contains("re-run the same command") == true }, "\(skipped)")
            let passed = report.cases.filter { $0.outcome == "passed" }
            #expect(passed.count == 24 - skipped.count)
            #expect(passed.allSatisfy { $0.systemOut.hasPrefix("cloned to pool ") }, "\(passed)")

            let markdown = try String(contentsOfFile: summaryPath, encoding: .utf8)
            #expect(markdown.hasPrefix("## earlier step\n### batch-clone: "), "appended, not replaced: \(markdown)")
            #expect(markdown.contains("| 5000003 | "), "\(markdown)")
            #expect(markdown.contains("Quota left: 0 of 20/3s"), "\(markdown)")
            #expect(markdown.contains("re-run the same command then"), "\(markdown)")
        }

        @Test func versionComesFromOnePlaceForBothSpellings() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let flag = try await BatchCloneBinary.run(["--version"], in: workspace.folder)
            let command = try await BatchCloneBinary.run(["version"], in: workspace.folder)
            #expect(flag.status == 0 && command.status == 0, "\(flag) \(command)")
            #expect(flag.stdout.hasPrefix("batch-clone "))
            #expect(flag.stdout == command.stdout)
        }

        /// Each script is checked by its own shell; a missing shell fails the test (install it, see .ci/run).
        @Test(arguments: ["bash", "zsh", "fish"])
        func completionScriptsParseInTheirShell(shell: String) async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let executable = try #require(
                ["/usr/bin/\(shell)", "/bin/\(shell)", "/usr/local/bin/\(shell)"].first {
                    FileManager.default.isExecutableFile(atPath: $0)
                },
                "\(shell) is not installed: apt-get install -y \(shell) (.ci/run does it when missing)"
            )
            let outcome = try await BatchCloneBinary.run(["completions", shell], in: workspace.folder)
            #expect(outcome.status == 0, "\(outcome)")
            #expect(outcome.stdout.contains("max-wait") && outcome.stdout.contains("junit"))
            let script = workspace.path("completion.\(shell)")
            try outcome.stdout.write(toFile: script, atomically: true, encoding: .utf8)

            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["-n", script]
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            process.waitUntilExit()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == 0, "\(shell) -n: \(message)")
        }

        @Test func quietPrintsOnlyTheSummaryAndColorAlwaysPaintsCloneAndFailure() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try CoreRunTests.simulator(missing: ["5000002"])
            defer { simulator.stop() }
            let csv = try workspace.writePools(Workspace.poolIDs(3))

            let quiet = try await BatchCloneBinary.run(
                CoreRunTests.arguments(
                    csv,
                    simulator,
                    workspace,
                    extra: ["--quiet", "--journal", workspace.path("a.journal")]
                ),
                in: workspace.folder
            )
            #expect(quiet.status == 1, "\(quiet)")
            #expect(!quiet.stderr.contains("started") && !quiet.stderr.contains("-> "), "\(quiet.stderr)")
            #expect(quiet.stderr.contains("done: 2 of 3 pools cloned"), "\(quiet.stderr)")
            #expect(quiet.stderr.contains("failed: pool 5000002"), "\(quiet.stderr)")
            #expect(!quiet.stderr.contains("\u{1B}["), "not a terminal: no colour by default")

            let colored = try await BatchCloneBinary.run(
                CoreRunTests.arguments(
                    csv,
                    simulator,
                    workspace,
                    extra: ["--color", "always", "--journal", workspace.path("b.journal")]
                ),
                in: workspace.folder,
                environment: ["TOLOKA_TOKEN": "e2e-token", "NO_COLOR": "1"]
            )
            #expect(colored.stderr.contains("\u{1B}[32mpool 5000001 -> "), "\(colored.stderr)")
            #expect(colored.stderr.contains("\u{1B}[31mpool 5000002 failed"), "\(colored.stderr)")
        }
    }
}
