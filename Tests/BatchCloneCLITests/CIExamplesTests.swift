import Foundation
import Testing

@testable import BatchCloneCLI

/// The CI examples keep the journal and the state file whatever the run's outcome, under one
/// name per batch: a lost or per-run journal makes the next run clone again what was cloned.
@Suite struct CIExamplesTests {
    static let examples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Examples")

    /// The CI examples, found by listing `Examples/` so that a new one cannot escape the checks.
    static let ciExamples: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: examples.path)) ?? []
        return names.filter { $0.hasSuffix(".yml") || $0.hasSuffix(".sh") || $0 == "crontab.txt" }.sorted()
    }()

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
        let script = YAMLSubset.parse("s:\n  - |\n    one\n    two\n  - three\n")
        #expect(script["s"]?.items.count == 2)
        #expect(script["s"]?.items.first == .scalar("one\ntwo"))
    }

    @Test func everyCIExampleIsFoundByTheListingAndOfAKnownKind() throws {
        let found = Set(Self.ciExamples)
        let shipped = [
            "github-actions.yml", "github-actions-redis.yml", "gitlab-ci.yml", "crontab.txt", "rehearse-pipeline.sh",
        ]
        #expect(Set(shipped).isSubset(of: found), "the listing missed some of \(shipped): \(found.sorted())")
        for name in found {
            let (text, yaml) = try Self.load(name)
            #expect(CIExample.Kind(name: name, yaml: yaml) != nil, "\(name): teach this test how it keeps its journal")
            #expect(!CIExample.cloneCommands(text).isEmpty, "\(name) runs no `batch-clone <csv>`")
        }
    }

    @Test(arguments: ciExamples)
    func everyCIExampleKeepsTheJournalWhateverTheExitCode(name: String) throws {
        let (text, yaml) = try Self.load(name)
        for journal in Self.journalNames(text) {
            #expect(!CIExample.runScoped.contains { journal.contains($0) }, "\(name): per-run journal \(journal)")
        }
        switch try #require(CIExample.Kind(name: name, yaml: yaml), "\(name) is of no known kind") {
        case .gitHubActions: try CIExample.checkGitHubActions(name, yaml)
        case .gitLab: try CIExample.checkGitLab(name, yaml)
        case .shell: CIExample.checkShell(name, text)
        }
    }

    @Test func noDocumentedJournalNameIsPerRun() throws {
        let readme = try String(
            contentsOf: Self.examples.deletingLastPathComponent().appendingPathComponent("README.md"),
            encoding: .utf8
        )
        let help = RunCommand.spec.discussion ?? ""
        for text in [readme, help] {
            for journal in Self.journalNames(text) {
                #expect(!CIExample.runScoped.contains { journal.contains($0) }, "\(journal)")
            }
        }
    }
}
