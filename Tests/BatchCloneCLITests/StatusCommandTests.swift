import ArgumentParsing
import BatchCloneKit
import Foundation
import Testing

@testable import BatchCloneCLI

@Suite struct StatusCommandTests {
    static let noon: Int64 = 1_796_040_000_000  // 2026-11-30T12:00:00Z

    /// Runs `status` through the dispatcher over a ledger holding `sends` one hour ago.
    func status(_ arguments: [String], sends: Int, trainingSends: Int = 0) async throws -> (
        code: ExitCode, stdout: String, stderr: String
    ) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("status-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("state.json").path
        try FileLedgerStore(path: path).update { log in
            log = SendLog(
                sendInstants: Array(repeating: LedgerInstant(epochMilliseconds: Self.noon - 3_600_000), count: sends)
            )
        }
        try FileLedgerStore(path: path, target: .training).update { log in
            log = SendLog(
                sendInstants: Array(
                    repeating: LedgerInstant(epochMilliseconds: Self.noon - 60_000),
                    count: trainingSends
                )
            )
        }
        let stdout = CapturedOutput()
        let stderr = CapturedOutput()
        let context = CommandContext(
            environment: [:],
            errorOutput: stderr,
            standardOutput: stdout,
            clock: FixedClock(now: Date(epochMilliseconds: Self.noon)),
            interrupts: InterruptSource()
        )
        let code = await BatchCloneCommand.run(["status", "--state", path] + arguments, context: context)
        return (code, stdout.text, stderr.text)
    }

    @Test func statusHonoursTheReserveLikeTheRun() async throws {
        let outcome = try await status(["--reserve", "10", "--json"], sends: 7)
        #expect(outcome.code == .success, "\(outcome.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let limits = try #require(object["limits"] as? [[String: Any]])
        #expect(limits.map { $0["limit"] as? String } == ["20/1m", "90/1d"])
        #expect(limits.map { $0["remaining"] as? Int } == [20, 83])
    }

    /// Issue 21: trainings have their own quota in the same state file; `--target` picks whose to show.
    @Test func statusShowsTheQuotaOfTheTargetAsked() async throws {
        let pools = try await status(["--json"], sends: 7, trainingSends: 3)
        let trainings = try await status(["--json", "--target", "training"], sends: 7, trainingSends: 3)
        #expect(pools.code == .success && trainings.code == .success, "\(pools.stderr) \(trainings.stderr)")
        for (outcome, target, used) in [(pools, "pool", [0, 7]), (trainings, "training", [3, 3])] {
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
            )
            #expect(object["target"] as? String == target)
            let limits = try #require(object["limits"] as? [[String: Any]])
            #expect(limits.map { $0["used"] as? Int } == used)
        }
        let bad = try await status(["--target", "project"], sends: 0)
        #expect(bad.code == .usage)
        #expect(bad.stderr.contains("expected pool or training"), "\(bad.stderr)")
    }

    @Test func statusRejectsAReserveAsLargeAsTheDailyLimit() async throws {
        let outcome = try await status(["--reserve", "100"], sends: 0)
        #expect(outcome.code == .usage)
        #expect(outcome.stderr.contains("smaller than the 100/1d limit"), "\(outcome.stderr)")
    }

    @Test func runAndStatusShareTheLedgerOptions() {
        let ledgerNames = LedgerOptions.options.map(\.name)
        for spec in [RunCommand.spec, StatusCommand.spec] {
            #expect(Set(ledgerNames).isSubset(of: spec.options.map(\.name)), "\(spec.name)")
        }
    }

    @Test func statusJSONHasSortedSnakeCaseKeys() async throws {
        let outcome = try await status(["--limit", "5/2h", "--margin", "0s", "--json"], sends: 5)
        #expect(
            outcome.stdout.hasPrefix(
                #"{"blocked_until":null,"limits":[{"limit":"5/2h","next_free":"2026-11-30T13:00:00.000Z","remaining":0,"used":5}],"made_elsewhere":null,"next_send":"#
            )
        )
    }
}
