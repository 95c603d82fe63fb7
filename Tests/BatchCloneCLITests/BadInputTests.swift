import ArgumentParsing
import BatchCloneKit
import Foundation
import Testing

@testable import BatchCloneCLI

@Suite struct BadInputTests {
    private func run(_ arguments: [String], environment: [String: String] = [:]) async -> (ExitCode, stderr: String) {
        await runCommand(arguments, environment: environment)
    }

    @Test(arguments: [
        ["--limit", "3000000000000000000/1m"],
        ["--limit", "9223372036854775807/1ms"],
        ["--limit", "99999999999999999999999/1m"],
        ["--limit", "5/99999999999999d"],
        ["--limit", "5/4000d"],
        ["--max-wait", "99999999999999d"],
        ["--max-wait", "106000d"],
        ["--operation-timeout", "9999999999999999999999s"],
        ["--margin", "106751d"],
        ["--poll-interval", "0.001ms"],
        ["--poll-interval", "9ms"],
        ["--max-attempts", "99999999999999999999"],
        ["--max-attempts", "1000000"],
        ["--reserve", "9223372036854775807"],
    ])
    func absurdNumbersAreUsageErrors(option: [String]) async {
        let (code, stderr) = await run(["p.csv", "--dry-run"] + option)
        #expect(code == .usage, "\(option): \(stderr)")
        #expect(stderr.hasPrefix("batch-clone: error: invalid value '"), "\(option)")
    }

    @Test func theBoundsAreNamedInTheMessage() throws {
        let parse = { (arguments: [String]) throws in
            try RunOptions(ArgumentParser(RunOptions.spec).parse(["p.csv"] + arguments), environment: [:])
        }
        #expect(
            throws: ArgumentError.invalidValue(
                option: "poll-interval",
                value: "0.001ms",
                reason: "too short; at least 10ms"
            )
        ) {
            try parse(["--poll-interval", "0.001ms"])
        }
        #expect(
            throws: ArgumentError.invalidValue(
                option: "max-wait",
                value: "99999999999999d",
                reason: "too long; at most 3650d"
            )
        ) {
            try parse(["--max-wait", "99999999999999d"])
        }
        #expect(
            throws: ArgumentError.invalidValue(
                option: "limit",
                value: "3000000000000000000/1m",
                reason: "the count must be from 1 to 1000000"
            )
        ) { try parse(["--limit", "3000000000000000000/1m"]) }
        #expect(try parse(["--poll-interval", "10ms"]).pollInterval == .milliseconds(10))
        #expect(try parse(["--limit", "1000000/3650d", "--max-wait", "3650d"]).ledger.limits.first?.count == 1_000_000)
    }

    @Test func aHugeValueIsQuotedInEightyCharacters() async {
        let (code, stderr) = await run(["p.csv", "--max-wait", String(repeating: "9", count: 10_000_000) + "x"])
        #expect(code == .usage)
        #expect(stderr.utf8.count < 300)
        #expect(stderr.contains("'" + String(repeating: "9", count: 79) + "…'"))
    }

    @Test func aHugeUnknownOptionIsQuotedInEightyCharactersAndQuickly() async {
        let (code, stderr) = await run(["p.csv", "--" + String(repeating: "l", count: 1_000_000)])
        #expect(code == .usage)
        #expect(stderr.utf8.count < 300)
    }

    @Test func aTenMegabyteMalformedCSVFieldIsNotEchoed() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "batch-clone-cli-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("pools.csv").path
        try Data(("pool_id\n1\n" + String(repeating: "z", count: 10 * 1024 * 1024) + "\n").utf8).write(
            to: URL(fileURLWithPath: csv)
        )
        let (code, stderr) = await run([csv, "--dry-run", "--state", folder.appendingPathComponent("s.json").path])
        #expect(code == .dataError)
        #expect(stderr.utf8.count < 1000, "\(stderr.utf8.count) bytes of stderr")
        #expect(stderr.contains("…' is not a pool id"))
    }

    @Test func aRelativeXDGStateHomeIsIgnored() {
        let url = URL(string: "https://toloka.dev/api/v1")!
        #expect(
            DefaultPaths.state(for: url, environment: ["XDG_STATE_HOME": "state", "HOME": "/home/u"])
                == "/home/u/.local/state/batch-clone/toloka.dev.json"
        )
        #expect(
            DefaultPaths.state(for: url, environment: ["XDG_STATE_HOME": "./s", "HOME": "/home/u"])
                == "/home/u/.local/state/batch-clone/toloka.dev.json"
        )
        #expect(
            DefaultPaths.state(for: url, environment: ["XDG_STATE_HOME": "/abs", "HOME": "/home/u"])
                == "/abs/batch-clone/toloka.dev.json"
        )
    }
}
