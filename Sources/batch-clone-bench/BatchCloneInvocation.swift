import ArgumentParsing
import BatchCloneKit
import DurationFormat
import Foundation

/// A command line of the real `batch-clone` binary with every file in a fresh folder, so that no
/// run inherits a ledger, journal or results file and the user's own state is never touched.
struct BatchCloneInvocation {
    let binary: String
    let folder: String
    /// The state file; nil keeps it in `folder`. Runs that share a ledger on purpose pass the same path.
    var state: String? = nil

    /// A clone run against the simulator at `baseURL`.
    func run(csv: String, baseURL: URL, limits: [RateLimit], pollInterval: Duration, label: String) -> ChildProcess {
        var arguments = [csv, "--base-url", baseURL.absoluteString] + files
        for limit in limits {
            arguments += ["--limit", LimitSpec(count: limit.count, window: limit.window).description]
        }
        arguments += ["--poll-interval", DurationFormatter.string(pollInterval, .argument)]
        return process(arguments, label: label)
    }

    /// `--dry-run` with Toloka's real limits: the plan a user sees before a big batch.
    func dryRun(csv: String, label: String) -> ChildProcess {
        process([csv, "--dry-run"] + files, label: label)
    }

    private var files: [String] {
        [
            "--state", state ?? folder + "/state.json", "--journal", folder + "/run.journal", "--output",
            folder + "/results.csv",
        ]
    }

    private func process(_ arguments: [String], label: String) -> ChildProcess {
        var environment = ProcessInfo.processInfo.environment
        // The simulator accepts any token; the URL comes from --base-url only.
        environment["TOLOKA_TOKEN"] = "bench"
        environment["TOLOKA_API_URL"] = nil
        environment["XDG_STATE_HOME"] = folder
        return ChildProcess(
            executable: binary,
            arguments: arguments,
            environment: environment,
            outputFolder: folder,
            label: label
        )
    }
}
