import ArgumentParsing
import Foundation
import Testing

@testable import BatchCloneCLI

@Suite struct RunPathsTests {
    func options(_ arguments: [String]) throws -> RunOptions {
        try RunOptions(ArgumentParser(RunOptions.spec).parse(arguments), environment: [:])
    }

    @Test func theRealFilesAreTheOptionsElseBesideTheCSV() throws {
        let given = RunPaths(
            try options(["ci/p.csv", "--journal", "j", "--output", "o.csv", "--state", "s.json"]),
            environment: [:]
        )
        #expect(given.journal == "j" && given.output == "o.csv" && given.state == "s.json")
        #expect(given.temporaryFolder == nil)
        let defaults = RunPaths(try options(["ci/p.csv"]), environment: ["BATCH_CLONE_STATE": "shared.json"])
        #expect(defaults.journal == "ci/p.journal")
        #expect(defaults.output == "ci/p.results.csv")
        #expect(defaults.state == "shared.json")
    }

    @Test func aRehearsalUsesNoneOfTheRealFilesAndNamesThem() throws {
        let options = try options(["p.csv", "--journal", "j", "--state", "s.json"])
        let real = RunPaths(options, environment: [:])
        let rehearsal = RunPaths.rehearsal()
        let folder = try #require(rehearsal.temporaryFolder)
        #expect(rehearsal.journal.hasPrefix(folder) && rehearsal.state.hasPrefix(folder))
        #expect(rehearsal.journal != real.journal && rehearsal.state != real.state && rehearsal.output != real.output)
        #expect(RunPaths.rehearsal() != rehearsal, "two rehearsals never share files")
        let notice = rehearsal.rehearsalNotice(options)
        #expect(notice.contains("--journal j, --state s.json, --output p.results.csv not read or written"))
        #expect(notice.hasSuffix("results go to \(rehearsal.output)"))
    }
}
