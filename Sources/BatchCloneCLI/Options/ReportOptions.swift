import ArgumentParsing

/// How `run` reports beyond its events: quietness, colour and the CI reports.
struct ReportOptions: OptionGroup, Equatable {
    enum ColorMode: String, CaseIterable, Sendable {
        case auto, always, never
    }

    var quiet: Bool
    var color: ColorMode
    /// `--junit`: where to write the JUnit XML report.
    var junitPath: String?

    /// Each option once, with its type, default and parser; `init` reads the values through them.
    enum Declared {
        static let quiet = Option<Bool>.flag("quiet", help: "print only errors and the final summary on stderr")
        static let color = Option<ColorMode>.choice(
            "color",
            default: .auto,
            valueName: "WHEN",
            help:
                "colour cloned (green) and failed (red) pools: auto (stderr is a terminal and $NO_COLOR unset), always, never"
        )
        static let junit = Option<String?>.text(
            "junit",
            valueName: "PATH",
            help: "write a JUnit XML report, one test case per pool, for GitLab, Jenkins or GitHub test reports"
        )
    }

    static let options = [Declared.quiet.spec, Declared.color.spec, Declared.junit.spec]

    init(_ arguments: ParsedArguments, environment: [String: String]) throws(ArgumentError) {
        quiet = try arguments.value(Declared.quiet)
        junitPath = try arguments.value(Declared.junit)
        color = try arguments.value(Declared.color)
    }

    /// Whether to colour: `always`, or `auto` on a terminal when NO_COLOR is unset or empty (no-color.org).
    func usesColor(terminal: Bool, environment: [String: String]) -> Bool {
        switch color {
        case .always: true
        case .never: false
        case .auto: terminal && (environment["NO_COLOR"] ?? "").isEmpty
        }
    }
}
