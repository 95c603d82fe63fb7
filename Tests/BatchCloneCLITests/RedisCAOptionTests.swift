import ArgumentParsing
import BatchCloneKit
import Foundation
import Testing

@testable import BatchCloneCLI

/// `--redis-ca` / `$BATCH_CLONE_REDIS_CA`: a ledger option, so `status` takes it too, checked before
/// anything connects.
@Suite struct RedisCAOptionTests {
    private func run(_ arguments: [String], environment: [String: String] = [:]) async -> (ExitCode, stderr: String) {
        await runCommand(arguments, environment: environment)
    }

    @Test(arguments: [["status"], ["p.csv", "--dry-run"]])
    func aMissingCAFileIsAUsageErrorNamingIt(command: [String]) async {
        let missing = "/nonexistent/batch-clone-ca-\(UUID().uuidString).pem"
        let (code, stderr) = await run(command + ["--state", "rediss://cache:6380", "--redis-ca", missing])
        #expect(code == .usage, "\(stderr)")
        #expect(
            stderr.contains(missing) && stderr.contains("--redis-ca") && stderr.contains("does not exist"),
            "\(stderr)"
        )

        let (fromEnvironment, text) = await run(
            ["status", "--state", "rediss://cache:6380"],
            environment: ["BATCH_CLONE_REDIS_CA": missing]
        )
        #expect(fromEnvironment == .usage)
        #expect(text.contains(missing) && text.contains("$BATCH_CLONE_REDIS_CA"), "\(text)")
    }

    @Test func aFolderIsNotACAFileAndAReadableFileIsKept() throws {
        let folder = FileManager.default.temporaryDirectory.path
        #expect {
            try LedgerOptions.caFile(option: folder, environment: [:])
        } throws: { error in
            "\(error)".contains(folder) && "\(error)".contains("folder")
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ca-\(UUID().uuidString).pem")
        try "not checked here".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try LedgerOptions.caFile(option: nil, environment: ["BATCH_CLONE_REDIS_CA": file.path]) == file.path)
        #expect(try LedgerOptions.caFile(option: file.path, environment: ["BATCH_CLONE_REDIS_CA": "/x"]) == file.path)
        #expect(try LedgerOptions.caFile(option: nil, environment: ["BATCH_CLONE_REDIS_CA": ""]) == nil)
    }

    @Test func statusAndRunBothTakeTheOption() {
        #expect(RunCommand.spec.options.contains { $0.name == "redis-ca" })
        #expect(StatusCommand.spec.options.contains { $0.name == "redis-ca" })
    }
}
