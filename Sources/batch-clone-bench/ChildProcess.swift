import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs an executable and reports its own resource use.
///
/// Spawned and reaped by hand (posix_spawn + wait4) rather than through `Process`: `wait4` returns
/// the rusage of exactly this child, whereas `RUSAGE_CHILDREN` sums every child ever reaped and
/// keeps the largest RSS of any of them.
struct ChildProcess {
    /// How the child ended and what it cost.
    struct Outcome: Sendable {
        /// Exit status, or nil when a signal ended it.
        var exitCode: Int32?
        var signal: Int32?
        /// User plus system CPU seconds of the child.
        var cpuSeconds: Double
        /// Peak resident set size in bytes.
        var maxRSS: Int
        /// Seconds from spawn to exit.
        var wallSeconds: Double
        var stdoutPath: String
        var stderrPath: String

        var succeeded: Bool { exitCode == 0 }

        /// The end of stderr, to explain a failure without flooding the report.
        func stderrTail(lines: Int = 5) -> String {
            let text = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
        }

        var statusDescription: String {
            if let exitCode { return "exit \(exitCode)" }
            return "signal \(signal ?? 0)"
        }
    }

    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }

    var executable: String
    var arguments: [String]
    var environment: [String: String]
    /// Folder receiving `<label>.stdout` and `<label>.stderr`.
    var outputFolder: String
    var label: String

    /// Spawns the child and waits for it on a dedicated thread, so the blocking `wait4` holds
    /// none of the few cooperative threads the in-process simulators' clients need.
    func run() async throws -> Outcome {
        let stdoutPath = outputFolder + "/\(label).stdout"
        let stderrPath = outputFolder + "/\(label).stderr"
        let started = ContinuousClock.now
        let pid = try spawn(stdoutPath: stdoutPath, stderrPath: stderrPath)
        let (status, usage, highWater) = await withCheckedContinuation {
            (continuation: CheckedContinuation<(Int32, rusage, Int), Never>) in
            let thread = Thread {
                var status: Int32 = 0
                var usage = rusage()
                // The child's ru_maxrss starts at this process's own peak (posix_spawn vforks: the
                // child runs on our memory map until exec), and this process holds every simulator:
                // the child's own high-water mark is read from /proc while it runs.
                var highWater = 0
                while true {
                    let reaped = wait4(pid, &status, WNOHANG, &usage)
                    if reaped == pid || (reaped == -1 && errno != EINTR) { break }
                    highWater = max(highWater, Self.highWaterMark(of: pid))
                    usleep(10_000)
                }
                continuation.resume(returning: (status, usage, highWater))
            }
            thread.name = "bench-wait4"
            thread.start()
        }
        let wall = (ContinuousClock.now - started).timeInterval
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        // The wait status layout is fixed on Linux; Swift does not import the W* macros.
        let termination = status & 0x7f
        return Outcome(
            exitCode: termination == 0 ? (status >> 8) & 0xff : nil,
            signal: termination == 0 ? nil : termination,
            cpuSeconds: seconds(usage.ru_utime) + seconds(usage.ru_stime),
            maxRSS: highWater > 0 ? highWater : Int(usage.ru_maxrss) * 1024,  // Linux reports kilobytes.
            wallSeconds: wall,
            stdoutPath: stdoutPath,
            stderrPath: stderrPath
        )
    }

    /// `VmHWM` of a running process in bytes (its own peak since exec); 0 when it cannot be read.
    static func highWaterMark(of pid: pid_t) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return 0 }
        let fields = line.split { $0 == " " || $0 == "\t" }
        let kilobytes = fields.dropFirst().first.flatMap { Int($0) } ?? 0
        return kilobytes * 1024
    }

    /// The command as one could paste it into a shell.
    var commandLine: String {
        ([executable] + arguments).map(Self.shellQuoted).joined(separator: " ")
    }

    static func shellQuoted(_ word: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,%+@")
        if !word.isEmpty && word.allSatisfy({ safe.contains($0) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    private func spawn(stdoutPath: String, stderrPath: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard result == 0 else {
            throw SpawnError(description: "cannot run \(executable): \(String(cString: strerror(result)))")
        }
        return pid
    }
}
