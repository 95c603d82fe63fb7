import BatchCloneKit
import Foundation
import Testing
import TolokaSimulator

#if canImport(Glibc)
    import Glibc
#endif

/// `batch-clone --json | head -1`: the reader goes away, the run must not.
extension EndToEnd {
    @Suite(.serialized)
    struct ClosedOutputTests {
        @Test func aClosedStdoutStopsTheEventsButNotTheRun() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try CoreRunTests.simulator()
            defer { simulator.stop() }
            // 25 pools at 20 per 3 s: the run outlives the reader by seconds and many events.
            let csv = try workspace.writePools(Workspace.poolIDs(25))

            let process = Process()
            // This test process ignores SIGPIPE (the simulator's server does) and children inherit that:
            // `env --default-signal` gives the binary the default a shell would, which kills on a closed pipe.
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments =
                ["--default-signal=PIPE", BatchCloneBinary.url.path]
                + CoreRunTests.arguments(csv, simulator, workspace, extra: ["--json"])
            var environment = ProcessInfo.processInfo.environment
            environment["TOLOKA_TOKEN"] = "e2e-token"
            environment["XDG_STATE_HOME"] = workspace.path("xdg-state")
            process.environment = environment
            process.currentDirectoryURL = workspace.folder
            let stdout = Pipe()
            process.standardOutput = stdout
            let stderrPath = workspace.path("stderr.txt")
            _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
            process.standardInput = FileHandle.nullDevice
            try process.run()
            try? stdout.fileHandleForWriting.close()

            // Like `head -1`: read up to the first line, then close the only read end.
            let reader = stdout.fileHandleForReading
            var received = Data()
            while !received.contains(UInt8(ascii: "\n")) {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                received.append(chunk)
            }
            try reader.close()
            let first = String(decoding: received.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
            #expect(first.contains("\"event\":\"started\""), "\(first)")

            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().async {
                    process.waitUntilExit()
                    continuation.resume()
                }
            }
            let stderr = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
            #expect(process.terminationReason == .exit, "killed by signal \(process.terminationStatus)\n\(stderr)")
            #expect(process.terminationStatus == 0, "\(stderr.suffix(2000))")
            #expect(stderr.contains("done: 25 of 25 pools cloned"), "\(stderr.suffix(2000))")
            let rows = try workspace.results()
            #expect(rows.count == 25)
            #expect(rows.allSatisfy { $0["status"] == "cloned" })
            #expect(simulator.stats.acceptedClones == 25)
        }
    }
}
