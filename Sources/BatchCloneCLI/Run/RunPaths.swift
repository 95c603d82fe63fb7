import BatchCloneKit
import Foundation

/// The files a run reads and writes: the real ones of the command line, or a rehearsal's own.
struct RunPaths: Equatable {
    var state: String
    var journal: String
    var output: String
    /// A rehearsal's own folder, removed when the run ends.
    var temporaryFolder: String?

    /// The real files: `--state`, `--journal` and `--output`, else their defaults beside the CSV.
    init(_ options: RunOptions, environment: [String: String]) {
        state = options.ledger.resolvedStatePath(environment: environment)
        journal = options.journalPath ?? DefaultPaths.journal(forCSV: options.csvPath)
        output = options.outputPath ?? DefaultPaths.results(forCSV: options.csvPath)
    }

    /// A rehearsal keeps the exact command line of the real run but none of its files: a
    /// simulated clone in the real journal would make the real run skip that pool.
    static func rehearsal() -> RunPaths {
        let name = "batch-clone-simulate-\(getpid())-\(UUID().uuidString.prefix(8))"
        let folder = NSTemporaryDirectory() + name
        return RunPaths(
            state: folder + "/state.json",
            journal: folder + "/run.journal",
            output: NSTemporaryDirectory() + name + ".results.csv",
            temporaryFolder: folder
        )
    }

    private init(state: String, journal: String, output: String, temporaryFolder: String?) {
        self.state = state
        self.journal = journal
        self.output = output
        self.temporaryFolder = temporaryFolder
    }

    /// Says which real files a rehearsal leaves alone and where its results go.
    func rehearsalNotice(_ options: RunOptions) -> String {
        let real = [
            ("--journal", options.journalPath ?? DefaultPaths.journal(forCSV: options.csvPath)),
            ("--state", options.ledger.statePath),
            ("--output", options.outputPath ?? DefaultPaths.results(forCSV: options.csvPath)),
        ]
        let untouched = real.compactMap { name, path in path.map { "\(name) \($0)" } }.joined(separator: ", ")
        return "rehearsal: \(untouched) not read or written; using a temporary journal and state file "
            + "(deleted at exit); results go to \(output)"
    }

    /// Removes a rehearsal's folder; the real files are never removed.
    func removeTemporaryFolder() {
        if let temporaryFolder { try? FileManager.default.removeItem(atPath: temporaryFolder) }
    }
}
