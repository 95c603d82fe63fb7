import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The real `batch-clone` executable, run as a child process the way users and CI run it.
struct BatchCloneBinary {
    /// The executable built beside the test bundle by `swift build` / `swift test`.
    static let url: URL = {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // On Linux the test runner is `<build>/debug/<package>PackageTests.xctest`; on macOS a bundle inside it.
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("batch-clone")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/batch-clone")
    }()

    /// A started child process with its output going to files (no pipe can fill up and stall it).
    final class Running: @unchecked Sendable {
        let process: Process
        let stdoutURL: URL
        let stderrURL: URL

        init(process: Process, stdoutURL: URL, stderrURL: URL) {
            self.process = process
            self.stdoutURL = stdoutURL
            self.stderrURL = stderrURL
        }

        var pid: Int32 { process.processIdentifier }

        /// Waits for the process without blocking a cooperative thread.
        func wait() async -> Outcome {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().async {
                    self.process.waitUntilExit()
                    continuation.resume()
                }
            }
            let stdout = (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? ""
            let stderr = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
            let killed = process.terminationReason == .uncaughtSignal
            return Outcome(status: process.terminationStatus, killedBySignal: killed, stdout: stdout, stderr: stderr)
        }

        func signal(_ number: Int32) {
            kill(process.processIdentifier, number)
        }
    }

    struct Outcome: CustomStringConvertible {
        /// The exit code, or the signal number when `killedBySignal`.
        var status: Int32
        var killedBySignal: Bool
        var stdout: String
        var stderr: String

        var description: String {
            "exit \(status)\(killedBySignal ? " (signal)" : "")\nstderr:\n\(stderr.suffix(3000))"
        }
    }

    /// Starts `batch-clone` with `arguments`; TOLOKA_TOKEN is set unless `environment` overrides it.
    /// `launcher` runs it through another program (e.g. `["/usr/bin/faketime", "-f", "+2s"]`).
    static func start(
        _ arguments: [String],
        in folder: URL,
        environment: [String: String] = ["TOLOKA_TOKEN": "e2e-token"],
        launcher: [String] = []
    ) throws -> Running {
        let process = Process()
        process.executableURL = launcher.first.map { URL(fileURLWithPath: $0) } ?? url
        process.arguments = launcher.dropFirst() + (launcher.isEmpty ? [] : [url.path]) + arguments
        var env = ProcessInfo.processInfo.environment
        env["TOLOKA_TOKEN"] = nil
        env["TOLOKA_API_URL"] = nil
        env["XDG_STATE_HOME"] = folder.appendingPathComponent("xdg-state").path
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.currentDirectoryURL = folder
        let id = UUID().uuidString.prefix(8)
        let stdoutURL = folder.appendingPathComponent("stdout-\(id).txt")
        let stderrURL = folder.appendingPathComponent("stderr-\(id).txt")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Running(process: process, stdoutURL: stdoutURL, stderrURL: stderrURL)
    }

    /// Runs `batch-clone` to completion.
    static func run(
        _ arguments: [String],
        in folder: URL,
        environment: [String: String] = ["TOLOKA_TOKEN": "e2e-token"]
    )
        async throws -> Outcome
    {
        try await start(arguments, in: folder, environment: environment).wait()
    }
}
