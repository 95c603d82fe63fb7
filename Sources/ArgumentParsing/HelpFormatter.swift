/// Renders a `CommandSpec` as an aligned help screen.
struct HelpFormatter {
    var spec: CommandSpec
    var width = 80
    /// Labels wider than this put their help on the next line instead of pushing the column right.
    var maxLabelWidth = 30

    func render() -> String {
        var sections: [String] = []
        if !spec.abstract.isEmpty {
            sections.append(Self.wrap(spec.abstract, width: width).joined(separator: "\n"))
        }
        sections.append("USAGE: \(spec.usage)")

        var rows: [(section: String, label: String, help: String)] = []
        for positional in spec.positionals {
            let label = positional.name.hasPrefix("<") ? positional.name : "<\(positional.name)>"
            rows.append(("ARGUMENTS", label, positional.help))
        }
        for option in spec.options where option.name != "help" {
            var label = "--\(option.name)"
            var help = option.helpWithDefault
            if let valueName = option.valueName {
                label += " <\(valueName)>"
            }
            if option.isRepeatable {
                help += help.isEmpty ? "(repeatable)" : " (repeatable)"
            }
            rows.append(("OPTIONS", label, help))
        }
        rows.append(("OPTIONS", "-h, --help", "Show this help and exit."))

        let widest = rows.map(\.label.count).max() ?? 0
        let labelWidth = min(widest, maxLabelWidth)
        for section in ["ARGUMENTS", "OPTIONS"] {
            let lines = rows.filter { $0.section == section }.flatMap { row in
                renderRow(label: row.label, help: row.help, labelWidth: labelWidth)
            }
            if !lines.isEmpty {
                sections.append(([section + ":"] + lines).joined(separator: "\n"))
            }
        }

        if !spec.examples.isEmpty {
            sections.append((["EXAMPLES:"] + spec.examples.map { "  \($0)" }).joined(separator: "\n"))
        }
        if let discussion = spec.discussion, !discussion.isEmpty {
            let lines = discussion.split(separator: "\n", omittingEmptySubsequences: false).flatMap { line in
                if line.allSatisfy(\.isWhitespace) { return [""] }
                // Lines that fit are kept verbatim so hand-aligned tables survive.
                return line.count <= width ? [String(line)] : Self.wrap(String(line), width: width)
            }
            sections.append(lines.joined(separator: "\n"))
        }
        return sections.joined(separator: "\n\n") + "\n"
    }

    private func renderRow(label: String, help: String, labelWidth: Int) -> [String] {
        let helpColumn = 2 + labelWidth + 3
        let helpLines = Self.wrap(help, width: max(width - helpColumn, 20))
        let indent = String(repeating: " ", count: helpColumn)
        guard let first = helpLines.first else { return ["  \(label)"] }
        var lines: [String]
        if label.count <= labelWidth {
            let padding = String(repeating: " ", count: helpColumn - 2 - label.count)
            lines = ["  \(label)\(padding)\(first)"]
        } else {
            lines = ["  \(label)", indent + first]
        }
        lines += helpLines.dropFirst().map { indent + $0 }
        return lines
    }

    /// Greedy word wrap that keeps the spacing between words on a line; continuation lines
    /// take the text's leading indentation so indented lists in a discussion stay readable.
    /// Over-long words get a line of their own.
    static func wrap(_ text: String, width: Int) -> [String] {
        let leading = String(text.prefix(while: { $0 == " " }))
        var tokens: [(gap: String, word: Substring)] = []
        var rest = text.dropFirst(leading.count)
        while !rest.isEmpty {
            let spaces = rest.prefix(while: { $0 == " " || $0 == "\n" || $0 == "\t" })
            // Newlines and tabs inside help text are treated as single spaces.
            let gap = spaces.contains(where: { $0 != " " }) ? " " : String(spaces)
            rest = rest.dropFirst(spaces.count)
            let word = rest.prefix(while: { $0 != " " && $0 != "\n" && $0 != "\t" })
            if !word.isEmpty { tokens.append((gap, word)) }
            rest = rest.dropFirst(word.count)
        }
        guard !tokens.isEmpty else { return [] }
        var lines: [String] = []
        var current = leading
        for (gap, word) in tokens {
            if current.count > leading.count {
                if current.count + gap.count + word.count > width {
                    lines.append(current)
                    current = leading
                } else {
                    current += gap
                }
            }
            current += word
        }
        lines.append(current)
        return lines
    }
}
