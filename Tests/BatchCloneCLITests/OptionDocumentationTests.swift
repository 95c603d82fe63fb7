import ArgumentParsing
import Foundation
import Testing

@testable import BatchCloneCLI

/// Options are declared once, in the commands' specs: the parser, help and completions read them,
/// and these tests keep the README's option table equal to them.
@Suite struct OptionDocumentationTests {
    static let readme = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("README.md")

    /// `--name VALUE` of every row of the README's option table.
    static func documentedOptions() throws -> [String] {
        let text = try String(contentsOf: readme, encoding: .utf8)
        let table = try #require(text.components(separatedBy: "| option | meaning |").dropFirst().first)
        return table.split(separator: "\n").dropFirst().prefix { $0.hasPrefix("| `--") }.map { row in
            String(row.dropFirst(3).prefix { $0 != "`" })
        }
    }

    static func usage(_ option: OptionSpec) -> String {
        "--\(option.name)" + (option.valueName.map { " \($0)" } ?? "")
    }

    @Test func theReadmeTableListsExactlyTheRunOptions() throws {
        #expect(try Self.documentedOptions() == RunCommand.spec.options.map(Self.usage))
    }

    @Test func statusOptionsAreRunOptionsOrNamedInTheStatusParagraph() throws {
        let run = Set(RunCommand.spec.options.map(Self.usage))
        let text = try String(contentsOf: Self.readme, encoding: .utf8)
        let paragraph = try #require(
            text.components(separatedBy: "`status` takes").dropFirst().first?.components(separatedBy: "\n\n").first
        )
        let own = StatusCommand.spec.options.filter { !run.contains(Self.usage($0)) }
        #expect(own.map(\.name) == ["offline"])
        for option in own {
            #expect(
                paragraph.contains("`\(Self.usage(option))`"),
                "README's status paragraph does not name --\(option.name)"
            )
        }
    }

    @Test(arguments: CompletionScript.Shell.allCases)
    func completionsOfferEveryOptionOfEveryCommand(shell: CompletionScript.Shell) {
        let commands = BatchCloneCommand.subcommands.map {
            CompletionScript.Subcommand(name: $0.name, spec: $0.command.spec)
        }
        let script = CompletionScript(commands: commands).render(shell)
        for command in commands {
            #expect(script.contains(command.name))
            for option in command.spec.options {
                let spelled = shell == .fish ? "-l \(option.name) " : "--\(option.name)"
                #expect(script.contains(spelled), "\(shell): \(command.name) --\(option.name)")
            }
        }
    }
}
