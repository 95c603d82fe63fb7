extension ProgressReporter {
    /// The reporter of `run`: `--json` events on stdout, `--quiet` and `--color` on stderr.
    convenience init(_ options: RunOptions, context: CommandContext) {
        self.init(
            errorOutput: context.errorOutput,
            jsonOutput: options.json ? context.standardOutput : nil,
            clock: context.clock,
            quiet: options.report.quiet,
            colors: options.report.usesColor(terminal: context.errorOutput.isTerminal, environment: context.environment)
        )
    }
}
