import Testing

@testable import ArgumentParsing

private let runSpec = CommandSpec(
    name: "batch-clone run",
    abstract: "Clone every pool listed in a CSV file.",
    usage: "batch-clone [run] <pools.csv> [options]",
    positionals: [PositionalSpec("pools.csv", help: "CSV file with one pool id per row.")],
    options: [
        OptionSpec("limit", .value(valueName: "N/DURATION"), help: "Rate limit for clone requests."),
        OptionSpec("dry-run", .flag, help: "Show what would be cloned without cloning."),
        OptionSpec("tag", .repeatable(valueName: "TAG"), help: "Tag added to every clone."),
        OptionSpec("column", .value(valueName: "NAME"), help: "Header of the pool id column."),
    ],
    examples: ["batch-clone pools.csv --limit 20/1m"],
    discussion: "Pools are cloned in file order."
)

private let parser = ArgumentParser(runSpec)

private func parse(_ arguments: String...) throws(ArgumentError) -> ParsedArguments {
    try parser.parse(arguments)
}

private func error(_ arguments: String...) -> ArgumentError? {
    do {
        _ = try parser.parse(arguments)
        return nil
    } catch {
        return error
    }
}

@Suite struct ArgumentParserTests {
    @Test func emptyCommandLine() throws {
        let parsed = try parse()
        #expect(parsed.positionals.isEmpty)
        #expect(!parsed.helpRequested)
        #expect(!parsed.flag("dry-run"))
        #expect(parsed.value("limit") == nil)
        #expect(parsed.values("tag").isEmpty)
    }

    @Test func positionalsOptionsAndFlagsInAnyOrder() throws {
        let parsed = try parse("--dry-run", "pools.csv", "--limit", "20/1m", "extra")
        #expect(parsed.positionals == ["pools.csv", "extra"])
        #expect(parsed.flag("dry-run"))
        #expect(parsed.value("limit") == "20/1m")
        #expect(!parsed.helpRequested)
    }

    @Test func equalsSyntax() throws {
        let parsed = try parse("--limit=20/1m", "--column=pool id", "--tag=a=b")
        #expect(parsed.value("limit") == "20/1m")
        #expect(parsed.value("column") == "pool id")
        #expect(parsed.values("tag") == ["a=b"])
    }

    @Test func explicitEmptyValueIsKept() throws {
        #expect(try parse("--column=").value("column") == "")
        #expect(try parse("--column", "").value("column") == "")
    }

    @Test func lookupsAcceptDashedNames() throws {
        let parsed = try parse("--dry-run", "--limit", "5/1s")
        #expect(parsed.flag("--dry-run"))
        #expect(parsed.value("--limit") == "5/1s")
    }

    @Test func repeatableOptionKeepsOrder() throws {
        let parsed = try parse("--tag", "b", "x.csv", "--tag=a", "--tag", "c")
        #expect(parsed.values("tag") == ["b", "a", "c"])
        #expect(parsed.value("tag") == "c")
        #expect(parsed.positionals == ["x.csv"])
    }

    @Test func repeatedFlagIsHarmless() throws {
        #expect(try parse("--dry-run", "--dry-run").flag("dry-run"))
    }

    @Test func doubleDashEndsOptions() throws {
        let parsed = try parse("--dry-run", "--", "--limit", "-h", "--help", "-")
        #expect(parsed.positionals == ["--limit", "-h", "--help", "-"])
        #expect(parsed.flag("dry-run"))
        #expect(!parsed.helpRequested)
        #expect(parsed.value("limit") == nil)
    }

    @Test func loneDashIsPositional() throws {
        #expect(try parse("-").positionals == ["-"])
        #expect(try parse("--column", "-").value("column") == "-")
    }

    @Test(arguments: [["-h"], ["--help"], ["pools.csv", "--help"], ["--limit", "1/1s", "-h"]])
    func helpAnywhere(arguments: [String]) throws {
        #expect(try parser.parse(arguments).helpRequested)
    }

    @Test func helpWinsOverErrors() throws {
        let parsed = try parse("--bogus", "--limit", "--help")
        #expect(parsed.helpRequested)
    }

    @Test func unknownOptionSuggestsClosest() {
        #expect(error("--limt", "5") == .unknownOption("--limt", suggestion: "--limit"))
        #expect(error("--dryrun") == .unknownOption("--dryrun", suggestion: "--dry-run"))
        #expect(error("--hlep") == .unknownOption("--hlep", suggestion: "--help"))
        #expect(error("--frobnicate") == .unknownOption("--frobnicate", suggestion: nil))
    }

    @Test func unknownOptionWithValueReportsOnlyTheName() {
        #expect(error("--limmit=5/1s") == .unknownOption("--limmit", suggestion: "--limit"))
    }

    @Test func singleDashOptionsAreUnknown() {
        #expect(error("-limit", "5/1s") == .unknownOption("-limit", suggestion: "--limit"))
        #expect(error("-x") == .unknownOption("-x", suggestion: nil))
    }

    @Test func missingValueAtEnd() {
        #expect(error("pools.csv", "--limit") == .missingValue(option: "--limit", valueName: "N/DURATION"))
    }

    @Test func optionWhereValueExpectedIsMissingValue() {
        #expect(error("--limit", "--dry-run") == .missingValue(option: "--limit", valueName: "N/DURATION"))
        #expect(error("--tag", "--", "x") == .missingValue(option: "--tag", valueName: "TAG"))
    }

    @Test func flagRejectsValue() {
        #expect(error("--dry-run=yes") == .unexpectedValue(option: "--dry-run"))
        #expect(error("--dry-run=") == .unexpectedValue(option: "--dry-run"))
        #expect(error("--help=yes") == .unexpectedValue(option: "--help"))
    }

    @Test func nonRepeatableValueTwice() {
        #expect(error("--limit", "1/1s", "--limit=2/1s") == .repeatedOption("--limit"))
    }

    @Test func firstErrorIsReported() {
        #expect(error("--dry-run=1", "--bogus") == .unexpectedValue(option: "--dry-run"))
    }

    @Test func parsedArgumentsCanBeBuiltDirectly() {
        let parsed = ParsedArguments(positionals: ["a.csv"], flags: ["--dry-run"], values: ["limit": ["1/1s"]])
        #expect(parsed.flag("dry-run"))
        #expect(parsed.value("limit") == "1/1s")
        #expect(parsed.positionals == ["a.csv"])
    }

    @Test func duplicateSpecNamesKeepTheFirst() throws {
        let spec = CommandSpec(
            name: "x",
            abstract: "",
            usage: "x",
            options: [
                OptionSpec("mode", .flag, help: "first"),
                OptionSpec("mode", .value(valueName: "M"), help: "second"),
            ]
        )
        #expect(try ArgumentParser(spec).parse(["--mode"]).flag("mode"))
    }

    @Test func helpTextMentionsEverything() {
        let help = parser.helpText()
        #expect(
            help.hasPrefix("Clone every pool listed in a CSV file.\n\nUSAGE: batch-clone [run] <pools.csv> [options]\n")
        )
        for needle in [
            "ARGUMENTS:", "<pools.csv>", "OPTIONS:", "--limit <N/DURATION>", "--dry-run",
            "--tag <TAG>", "(repeatable)", "-h, --help", "EXAMPLES:",
            "  batch-clone pools.csv --limit 20/1m", "Pools are cloned in file order.",
        ] {
            #expect(help.contains(needle), "missing \(needle)")
        }
    }
}
