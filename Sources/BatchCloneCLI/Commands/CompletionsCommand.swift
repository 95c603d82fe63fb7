import ArgumentParsing

/// `batch-clone completions bash|zsh|fish`: a completion script built from the commands' specs.
struct CompletionsCommand: Command {
    static let spec = CommandSpec(
        name: "batch-clone completions",
        abstract: "Print a shell completion script generated from the options batch-clone parses.",
        usage: "batch-clone completions bash|zsh|fish",
        positionals: [PositionalSpec("shell", help: "bash, zsh or fish")],
        examples: [
            "batch-clone completions bash > /etc/bash_completion.d/batch-clone",
            "batch-clone completions zsh > \"${fpath[1]}/_batch-clone\"",
            "batch-clone completions fish > ~/.config/fish/completions/batch-clone.fish",
        ]
    )

    let shell: CompletionScript.Shell

    init(_ arguments: ParsedArguments, environment: [String: String]) throws(ArgumentError) {
        guard let name = arguments.positionals.first else { throw .missingArgument("shell") }
        guard arguments.positionals.count == 1 else {
            throw .tooManyArguments(Array(arguments.positionals.dropFirst()))
        }
        guard let shell = CompletionScript.Shell(rawValue: name) else {
            throw .invalidArgument(name: "shell", value: name, reason: "expected bash, zsh or fish")
        }
        self.shell = shell
    }

    func run(_ context: CommandContext) -> ExitCode {
        let commands = BatchCloneCommand.subcommands.map {
            CompletionScript.Subcommand(name: $0.name, spec: $0.command.spec)
        }
        context.standardOutput.write(CompletionScript(commands: commands).render(shell))
        return .success
    }
}
