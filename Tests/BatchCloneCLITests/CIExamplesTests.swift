import Foundation
import Testing

@testable import BatchCloneCLI

/// The CI examples keep the journal and the state file whatever the run's outcome, under one
/// name per batch: a lost or per-run journal makes the next run clone again what was cloned.
@Suite struct CIExamplesTests {
    static let examples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Examples")

    static let runScoped = ["github.run_id", "github.run_number", "github.run_attempt", "CI_PIPELINE_ID", "CI_JOB_ID"]

    static func load(_ name: String) throws -> (text: String, yaml: YAMLSubset) {
        let text = try String(contentsOf: examples.appendingPathComponent(name), encoding: .utf8)
        return (text, YAMLSubset.parse(text))
    }

    /// Every `--journal` value in the example's commands.
    static func journalNames(_ text: String) -> [String] {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        return zip(words, words.dropFirst()).filter { $0.0 == "--journal" }.map(\.1)
    }

    @Test func theParserReadsNestedMapsListsAndBlocks() {
        let yaml = YAMLSubset.parse(
            "a:\n  - x: 1  # one\n    y: \"two # not a comment\"\n  - run: |\n      echo hi\n      echo there\n    z: [p, 'q']\nb: c\n"
        )
        #expect(yaml["a"]?.items.count == 2)
        #expect(yaml["a"]?.items.first?["x"]?.text == "1")
        #expect(yaml["a"]?.items.first?["y"]?.text == "two # not a comment")
        #expect(yaml["a"]?.items.last?["run"]?.text == "echo hi\necho there")
        #expect(yaml["a"]?.items.last?["z"] == .list([.scalar("p"), .scalar("q")]))
        #expect(yaml["b"]?.text == "c")
    }

    @Test func gitHubActionsRestoresAndAlwaysSavesTheJournalUnderAStableKey() throws {
        let (text, yaml) = try Self.load("github-actions.yml")
        let steps = try #require(yaml["jobs"]?["clone"]?["steps"]?.items)
        func index(_ predicate: (YAMLSubset) -> Bool) -> Int? { steps.firstIndex(where: predicate) }
        let keepsState: (YAMLSubset) -> Bool = { $0["with"]?["path"]?.text == ".batch-clone" }

        let restore = try #require(
            index { $0["uses"]?.text?.hasPrefix("actions/cache/restore@") == true && keepsState($0) }
        )
        let clone = try #require(index { $0["run"]?.text?.contains("batch-clone pools/experiment.csv") == true })
        let save = try #require(index { $0["uses"]?.text?.hasPrefix("actions/cache/save@") == true && keepsState($0) })
        #expect(restore < clone && clone < save)
        #expect(steps[save]["if"]?.text == "always()", "saved after a failed run too")
        #expect(
            !steps.contains { $0["uses"]?.text?.hasPrefix("actions/cache@") == true && keepsState($0) },
            "saves only on success"
        )
        for step in [steps[restore], steps[save]] {
            let key = try #require(step["with"]?["key"]?.text)
            #expect(key.hasPrefix("batch-clone-${{ hashFiles('pools/experiment.csv') }}"), "keyed by the CSV: \(key)")
            #expect(!Self.runScoped.contains { key.contains($0) }, "\(key)")
        }
        let prefix = try #require(steps[restore]["with"]?["restore-keys"]?.text)
        #expect(steps[save]["with"]?["key"]?.text?.hasPrefix(prefix) == true, "the restore finds what the save stored")
        let journals = Self.journalNames(text)
        #expect(journals == [".batch-clone/experiment.journal"])
    }

    @Test func gitLabKeepsTheJournalAlwaysUnderAKeyFromTheCSV() throws {
        let (text, yaml) = try Self.load("gitlab-ci.yml")
        let caches = try #require(yaml["clone-pools"]?["cache"]?.items)
        let state = try #require(caches.first { $0["paths"]?.items.contains(.scalar(".batch-clone/")) == true })
        #expect(state["when"]?.text == "always")
        #expect(state["key"]?["files"] == .list([.scalar("pools/experiment.csv")]))
        let journals = Self.journalNames(text)
        #expect(journals == [".batch-clone/experiment.journal"])
        #expect(!Self.runScoped.contains { text.contains($0) })
    }

    @Test func noDocumentedJournalNameIsPerRun() throws {
        let readme = try String(
            contentsOf: Self.examples.deletingLastPathComponent().appendingPathComponent("README.md"),
            encoding: .utf8
        )
        let help = RunCommand.spec.discussion ?? ""
        for text in [readme, help] {
            for journal in Self.journalNames(text) {
                #expect(!Self.runScoped.contains { journal.contains($0) }, "\(journal)")
            }
        }
    }
}
