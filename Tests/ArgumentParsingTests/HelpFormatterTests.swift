import Testing

@testable import ArgumentParsing

@Suite struct HelpFormatterTests {
    @Test func helpColumnsAreAlignedAndWrapped() {
        let spec = CommandSpec(
            name: "tool",
            abstract: "Does things.",
            usage: "tool <input> [options]",
            positionals: [PositionalSpec("input", help: "The input.")],
            options: [
                OptionSpec("limit", .value(valueName: "N/DURATION"), help: String(repeating: "word ", count: 40)),
                OptionSpec("v", .flag, help: "Verbose."),
            ]
        )
        let lines = ArgumentParser(spec).helpText().split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.allSatisfy { $0.count <= 80 })
        let limitLine = lines.first { $0.hasPrefix("  --limit") }!
        let verboseLine = lines.first { $0.hasPrefix("  --v ") }!
        let inputLine = lines.first { $0.hasPrefix("  <input>") }!
        let column = limitLine.distance(from: limitLine.startIndex, to: limitLine.firstIndex(of: "w")!)
        #expect(verboseLine.distance(from: verboseLine.startIndex, to: verboseLine.firstIndex(of: "V")!) == column)
        #expect(inputLine.distance(from: inputLine.startIndex, to: inputLine.firstIndex(of: "T")!) == column)
        // Continuation lines of the wrapped help start at the same column.
        let index = lines.firstIndex(of: limitLine)!
        let continuation = lines[index + 1]
        #expect(continuation.prefix(column).allSatisfy { $0 == " " })
        #expect(continuation.dropFirst(column).hasPrefix("word"))
    }

    @Test func overlongLabelPutsHelpOnNextLine() {
        let spec = CommandSpec(
            name: "t",
            abstract: "",
            usage: "t",
            options: [
                OptionSpec("a-really-long-option-name", .value(valueName: "SOMETHING-LONG"), help: "Help here."),
                OptionSpec("x", .flag, help: "Short."),
            ]
        )
        let text = ArgumentParser(spec).helpText()
        #expect(
            text.contains(
                "  --a-really-long-option-name <SOMETHING-LONG>\n" + String(repeating: " ", count: 35) + "Help here.\n"
            )
        )
        #expect(!text.hasPrefix("\n"))
        #expect(text.hasPrefix("USAGE: t\n"))
    }

    @Test func sectionsWithoutContentAreOmitted() {
        let text = ArgumentParser(CommandSpec(name: "t", abstract: "A.", usage: "t")).helpText()
        #expect(!text.contains("ARGUMENTS:"))
        #expect(!text.contains("EXAMPLES:"))
        #expect(text.contains("OPTIONS:\n  -h, --help"))
        #expect(text.hasSuffix("\n"))
        #expect(!text.hasSuffix("\n\n"))
    }

    @Test func discussionKeepsLineBreaksAndIndentation() {
        let discussion =
            "Exit codes:\n  0  all pools cloned\n  1  " + String(repeating: "some pools failed ", count: 6)
            + "\n\nSee the docs."
        let text = ArgumentParser(CommandSpec(name: "t", abstract: "", usage: "t", discussion: discussion)).helpText()
        #expect(text.contains("Exit codes:\n  0  all pools cloned\n  1  some pools failed"))
        let lines = text.split(separator: "\n")
        let wrapped = lines.firstIndex { $0.hasPrefix("  1  some") }!
        #expect(lines[wrapped + 1].hasPrefix("  ") && !lines[wrapped + 1].hasPrefix("   "))
        #expect(text.hasSuffix("\n\nSee the docs.\n"))
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 80 })
    }

    @Test func wrapHandlesLongWordsAndEmptyText() {
        #expect(HelpFormatter.wrap("", width: 10).isEmpty)
        #expect(HelpFormatter.wrap("aaaaaaaaaaaaaaa bb cc", width: 10) == ["aaaaaaaaaaaaaaa", "bb cc"])
        #expect(HelpFormatter.wrap("a b c d", width: 3) == ["a b", "c d"])
    }
}
