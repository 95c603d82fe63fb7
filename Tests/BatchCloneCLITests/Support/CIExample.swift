import Foundation
import Testing

/// What "keeps the journal whatever the exit code" means for each kind of CI example.
enum CIExample {
    enum Kind: Equatable {
        /// A workflow of jobs and steps: the journal's folder is restored, then saved `if: always()`.
        case gitHubActions
        /// Top-level jobs with a `script`: the journal's folder is a cache kept `when: always`.
        case gitLab
        /// A script or crontab on a machine that keeps its files: nothing may delete the journal.
        case shell

        init?(name: String, yaml: YAMLSubset) {
            if name.hasSuffix(".sh") || name == "crontab.txt" {
                self = .shell
            } else if name.hasSuffix(".yml"), yaml["jobs"] != nil {
                self = .gitHubActions
            } else if name.hasSuffix(".yml"), case .map(let members) = yaml,
                members.contains(where: { $0.value["script"] != nil })
            {
                self = .gitLab
            } else {
                return nil
            }
        }
    }

    /// Names that change from run to run; a journal or cache key holding one is lost by the next run.
    static let runScoped = [
        "github.run_id", "github.run_number", "github.run_attempt", "CI_PIPELINE_ID", "CI_JOB_ID",
        "$$", "$RANDOM", "$(date",
    ]

    /// The `batch-clone <csv> ...` commands in `text`, continuation lines joined.
    static func cloneCommands(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\\\n", with: " ").split(separator: "\n").map(String.init)
            .filter { $0.contains(/batch-clone"? +[^ \-][^ ]*( [^ \-][^ ]*)*\.csv/) }
    }

    /// The value after `--journal` in `command`, if any.
    static func journalOf(_ command: String) -> String? {
        let words = command.split(separator: " ").map(String.init)
        return zip(words, words.dropFirst()).first { $0.0 == "--journal" }?.1
    }

    /// A job that starts the simulator rehearses from scratch and keeps nothing; every other one clones for real.
    static func clonesForReal(_ scripts: [String]) -> Bool {
        !scripts.flatMap(cloneCommands).isEmpty && !scripts.contains { $0.contains("toloka-sim") }
    }

    static func checkGitHubActions(_ name: String, _ yaml: YAMLSubset) throws {
        guard case .map(let jobs) = try #require(yaml["jobs"]) else {
            Issue.record("\(name): jobs is not a map")
            return
        }
        var checked = 0
        for (job, body) in jobs {
            let steps = body["steps"]?.items ?? []
            let scripts = steps.compactMap { $0["run"]?.text }
            guard clonesForReal(scripts) else { continue }
            checked += 1
            let context = "\(name), job \(job)"
            let clones = steps.indices.filter { !cloneCommands(steps[$0]["run"]?.text ?? "").isEmpty }
            for command in clones.flatMap({ cloneCommands(steps[$0]["run"]?.text ?? "") }) {
                let journal = try #require(journalOf(command), "\(context): a clone without --journal: \(command)")
                let folder = String(journal.prefix { $0 != "/" })
                let keeps: (YAMLSubset) -> Bool = { $0["with"]?["path"]?.text == folder }
                let cacheStep: (Int, String) -> Bool = { index, action in
                    steps[index]["uses"]?.text?.hasPrefix(action) == true && keeps(steps[index])
                }
                #expect(
                    !steps.indices.contains { cacheStep($0, "actions/cache@") },
                    "\(context): actions/cache saves \(folder) only when the job succeeds"
                )
                let restore = try #require(
                    steps.indices.first { cacheStep($0, "actions/cache/restore@") },
                    "\(context): nothing restores \(folder)"
                )
                let save = try #require(
                    steps.indices.last { cacheStep($0, "actions/cache/save@") },
                    "\(context): nothing saves \(folder)"
                )
                #expect(
                    restore < clones.first! && clones.last! < save,
                    "\(context): restore, clone, save in this order"
                )
                #expect(steps[save]["if"]?.text == "always()", "\(context): \(folder) is saved after a failed run too")
                let prefix = try #require(steps[restore]["with"]?["restore-keys"]?.text, "\(context): no restore-keys")
                for key in [steps[restore]["with"]?["key"]?.text, steps[save]["with"]?["key"]?.text, prefix] {
                    let key = try #require(key, "\(context): a cache step without a key")
                    #expect(key.contains("hashFiles(") && key.contains(".csv"), "\(context): keyed by the CSV: \(key)")
                    #expect(!runScoped.contains { key.contains($0) }, "\(context): per-run key \(key)")
                }
                #expect(
                    steps[save]["with"]?["key"]?.text?.hasPrefix(prefix) == true,
                    "\(context): the restore finds what the save stored"
                )
            }
        }
        #expect(checked > 0, "\(name): no job clones for real")
    }

    static func checkGitLab(_ name: String, _ yaml: YAMLSubset) throws {
        guard case .map(let jobs) = yaml else { return }
        var checked = 0
        for (job, body) in jobs {
            let scripts = (body["script"]?.items ?? []).compactMap(\.text)
            guard clonesForReal(scripts) else { continue }
            checked += 1
            let caches = body["cache"].map { $0.items.isEmpty ? [$0] : $0.items } ?? []
            for command in scripts.flatMap(cloneCommands) {
                let journal = try #require(journalOf(command), "\(name), job \(job): a clone without --journal")
                let cache = try #require(
                    caches.first { cache in
                        cache["paths"]?.items.contains { journal.hasPrefix($0.text ?? "\u{0}") } == true
                    },
                    "\(name), job \(job): no cache holds \(journal)"
                )
                #expect(
                    cache["when"]?.text == "always",
                    "\(name), job \(job): the cache is kept after a failed run too"
                )
                let files = cache["key"]?["files"]?.items.compactMap(\.text) ?? []
                #expect(files.contains { $0.hasSuffix(".csv") }, "\(name), job \(job): keyed by the CSV")
                let key = cache["key"]?.text ?? files.joined(separator: " ")
                #expect(!runScoped.contains { key.contains($0) }, "\(name), job \(job): per-run key \(key)")
            }
        }
        #expect(checked > 0, "\(name): no job clones for real")
    }

    /// Files stay where the run left them; only an `EXIT` trap (the end of a rehearsal) may delete.
    static func checkShell(_ name: String, _ text: String) {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let deletes = line.contains(#/(^|[ ;&|(])rm /#)
            #expect(!deletes || (line.contains("trap ") && line.hasSuffix("EXIT")), "\(name) deletes files: \(line)")
        }
    }
}
