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

    static let options = [
        OptionSpec("quiet", .flag, help: "print only errors and the final summary on stderr"),
        OptionSpec(
            "color",
            .value(valueName: "WHEN"),
            help:
                "colour cloned (green) and failed (red) pools: auto (stderr is a terminal and $NO_COLOR unset), always, never"
        ),
        OptionSpec(
            "junit",
            .value(valueName: "PATH"),
            help: "write a JUnit XML report, one test case per pool, for GitLab, Jenkins or GitHub test reports"
        ),
    ]

    init(_ arguments: ParsedArguments, environment: [String: String]) throws(ArgumentError) {
        quiet = arguments.flag("quiet")
        junitPath = arguments.value("junit")
        let text = arguments.value("color") ?? ColorMode.auto.rawValue
        guard let color = ColorMode(rawValue: text) else {
            throw .invalidValue(option: "color", value: text, reason: "expected auto, always or never")
        }
        self.color = color
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
