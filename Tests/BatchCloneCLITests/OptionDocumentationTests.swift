import ArgumentParsing
import BatchCloneKit
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

    /// The meaning column of every row, by `--name VALUE`, with the code spans' backticks dropped.
    static func documentedMeanings() throws -> [String: String] {
        let text = try String(contentsOf: readme, encoding: .utf8)
        let table = try #require(text.components(separatedBy: "| option | meaning |").dropFirst().first)
        let rows = table.split(separator: "\n").dropFirst().prefix { $0.hasPrefix("| `--") }.map { row in
            let usage = String(row.dropFirst(3).prefix { $0 != "`" })
            let meaning = row.dropFirst(3 + usage.count + 4).replacingOccurrences(of: "`", with: "")
            return (usage, meaning)
        }
        return Dictionary(rows, uniquingKeysWith: { first, _ in first })
    }

    @Test func theReadmeTableStatesTheDeclaredDefaults() throws {
        let meanings = try Self.documentedMeanings()
        let withDefaults = RunCommand.spec.options.filter { $0.defaultValue != nil }
        #expect(withDefaults.count >= 10, "the run's defaults are declared with its options")
        for option in withDefaults {
            let meaning = try #require(meanings[Self.usage(option)], "--\(option.name) is not in the README table")
            #expect(
                meaning.contains("default \(option.defaultValue!)"),
                "README's --\(option.name) row does not say 'default \(option.defaultValue!)': \(meaning)"
            )
        }
    }

    @Test func theDeclaredDefaultsAreTheRunConfigurationOnes() throws {
        let parsed = try RunOptions(ArgumentParser(RunCommand.spec).parse(["p.csv"]), environment: [:])
        let configuration = parsed.runConfiguration
        let library = RunConfiguration()
        #expect(configuration.pollInterval == library.pollInterval)
        #expect(configuration.maxWait == library.maxWait)
        #expect(configuration.maxAttempts == library.maxAttempts)
        #expect(configuration.reconcileWindow == library.reconcileWindow)
        #expect(configuration.operationTimeout == library.operationTimeout)
        #expect(configuration.limits == library.limits)
        #expect(configuration.margin == library.margin)
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
