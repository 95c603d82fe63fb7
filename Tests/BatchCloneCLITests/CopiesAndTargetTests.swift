import ArgumentParsing
import BatchCloneKit
import Foundation
import Testing

@testable import BatchCloneCLI

/// `--copies`, `--target` and what the run command makes of a CSV with copies or two ID columns.
@Suite struct CopiesAndTargetTests {
    func options(_ arguments: [String]) throws -> RunOptions {
        try RunOptions(ArgumentParser(RunOptions.spec).parse(["p.csv"] + arguments), environment: [:])
    }

    /// Runs `arguments` after a CSV holding `csv`, in a folder of its own.
    func run(csv: String, _ arguments: [String]) async throws -> (ExitCode, stderr: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "batch-clone-cli-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("pools.csv").path
        try Data(csv.utf8).write(to: URL(fileURLWithPath: path))
        return await runCommand([path, "--state", folder.appendingPathComponent("s.json").path] + arguments)
    }

    @Test func copiesAndTargetAreAbsentUnlessGiven() throws {
        let options = try options([])
        #expect(options.copies == nil && options.target == nil)
    }

    @Test func copiesAndTargetAreParsed() throws {
        let options = try options(["--copies", "3", "--target", "training"])
        #expect(options.copies == 3 && options.target == .training)
    }

    @Test func badCopiesAndTargetsAreUsageErrorsNamingTheBounds() {
        #expect(
            throws: ArgumentError.invalidValue(
                option: "copies",
                value: "0",
                reason: "expected a whole number of at least 1"
            )
        ) {
            try options(["--copies", "0"])
        }
        #expect(throws: ArgumentError.invalidValue(option: "copies", value: "1001", reason: "too large; at most 1000"))
        {
            try options(["--copies", "1001"])
        }
        #expect(
            throws: ArgumentError.invalidValue(option: "target", value: "pools", reason: "expected pool or training")
        ) {
            try options(["--target", "pools"])
        }
    }

    @Test func aCSVWithBothIDColumnsIsAUsageErrorNamingTheFileAndBothColumns() async throws {
        let (code, stderr) = try await run(csv: "pool_id,training_id\n1,2\n", ["--dry-run"])
        #expect(code == .usage)
        #expect(stderr.contains("pools.csv has both 'pool_id' and 'training_id' columns"), "\(stderr)")
    }

    @Test func targetOrColumnSettlesBothIDColumns() async throws {
        let (byTarget, _) = try await run(csv: "pool_id,training_id\n1,2\n", ["--dry-run", "--target", "pool"])
        #expect(byTarget == .success)
        let (byColumn, stderr) = try await run(
            csv: "pool_id,training_id\n1,2\n",
            ["--dry-run", "--column", "training_id"]
        )
        #expect(byColumn == .success)
        #expect(stderr.contains("trainings in the CSV:  1"), "\(stderr)")
    }

    @Test func thePlanCountsClonesOfSources() async throws {
        let (code, stderr) = try await run(csv: "pool_id,copies\n1,3\n2,\n", ["--dry-run"])
        #expect(code == .success)
        #expect(stderr.contains("clones asked:          4 of 2 pools"), "\(stderr)")
        #expect(stderr.contains("to clone:              4"), "\(stderr)")
        let (_, overridden) = try await run(csv: "pool_id,copies\n1,3\n2,\n", ["--dry-run", "--copies", "5"])
        #expect(overridden.contains("clones asked:          10 of 2 pools"), "\(overridden)")
    }

    @Test func aBadCopiesCellIsMalformedInput() async throws {
        let (code, stderr) = try await run(csv: "pool_id,copies\n1,3\n2,many\n", ["--dry-run"])
        #expect(code == .dataError)
        #expect(stderr.contains("pools.csv:3: copies 'many' is not a whole number from 1 to 1000"), "\(stderr)")
    }

    @Test func aRepeatedRowWithCopiesSaysHowManyClonesItGets() async throws {
        let (_, stderr) = try await run(csv: "pool_id,copies\n1,3\n1,1\n", ["--dry-run"])
        #expect(
            stderr.contains("pools.csv:3: pool 1 repeats line 2; it is cloned 3 times, as line 2 says"),
            "\(stderr)"
        )
    }

    @Test func theStartLineCountsClonesOfSources() {
        let output = CapturedOutput()
        let reporter = ProgressReporter(
            errorOutput: output,
            jsonOutput: nil,
            clock: FixedClock(now: Date(epochMilliseconds: 1_780_000_000_000))
        )
        reporter.handle(.started(total: 30, sources: 10, alreadyDone: 0, alreadyFailed: 0, toDo: 30))
        #expect(output.text.hasSuffix("30 clones of 10 sources: 0 already cloned, 0 failed earlier, 30 to do\n"))
    }
}
