import Foundation

/// The YAML the CI examples use: block maps and lists, flow lists of scalars, `|` blocks (list items too) and
/// comments. Enough to assert the examples' structure, not a YAML parser.
indirect enum YAMLSubset: Equatable {
    case scalar(String)
    case list([YAMLSubset])
    case map([(key: String, value: YAMLSubset)])

    static func == (lhs: YAMLSubset, rhs: YAMLSubset) -> Bool {
        switch (lhs, rhs) {
        case (.scalar(let a), .scalar(let b)): a == b
        case (.list(let a), .list(let b)): a == b
        case (.map(let a), .map(let b)): a.map(\.key) == b.map(\.key) && a.map(\.value) == b.map(\.value)
        default: false
        }
    }

    subscript(key: String) -> YAMLSubset? {
        guard case .map(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    var text: String? {
        if case .scalar(let text) = self { text } else { nil }
    }

    var items: [YAMLSubset] {
        if case .list(let items) = self { items } else { [] }
    }

    static func parse(_ source: String) -> YAMLSubset {
        var lines: [(indent: Int, text: String)] = []
        for raw in source.split(separator: "\n", omittingEmptySubsequences: false) {
            let text = String(raw)
            let content = text.drop { $0 == " " }
            if content.isEmpty || content.hasPrefix("#") { continue }
            lines.append((text.count - content.count, withoutComment(String(content))))
        }
        var index = 0
        return parseNode(&lines, &index, indent: lines.first?.indent ?? 0)
    }

    private static func parseNode(_ lines: inout [(indent: Int, text: String)], _ index: inout Int, indent: Int)
        -> YAMLSubset
    {
        guard index < lines.count else { return .scalar("") }
        if lines[index].text.hasPrefix("- ") || lines[index].text == "-" {
            var items: [YAMLSubset] = []
            while index < lines.count, lines[index].indent == indent, lines[index].text.hasPrefix("-") {
                if lines[index].text.hasPrefix("- |") || lines[index].text.hasPrefix("- >") {
                    index += 1
                    var block: [String] = []
                    while index < lines.count, lines[index].indent > indent {
                        block.append(lines[index].text)
                        index += 1
                    }
                    items.append(.scalar(block.joined(separator: "\n")))
                    continue
                }
                // The item's first line becomes a line of its own, two columns further in.
                lines[index] = (indent + 2, String(lines[index].text.dropFirst(2)))
                items.append(parseNode(&lines, &index, indent: indent + 2))
            }
            return .list(items)
        }
        var members: [(key: String, value: YAMLSubset)] = []
        while index < lines.count, lines[index].indent == indent, !lines[index].text.hasPrefix("- ") {
            let line = lines[index].text
            index += 1
            guard
                let colon = line.range(of: ": ")
                    ?? (line.hasSuffix(":") ? line.range(of: ":", options: .backwards) : nil)
            else {
                members.append((line, .scalar("")))
                continue
            }
            let key = String(line[..<colon.lowerBound])
            let value = String(line[colon.upperBound...]).trimmingCharacters(in: .whitespaces)
            if value.isEmpty {
                let deeper = index < lines.count && lines[index].indent > indent
                let sameIndentList =
                    index < lines.count && lines[index].indent == indent && lines[index].text.hasPrefix("- ")
                members.append(
                    (
                        key,
                        deeper || sameIndentList ? parseNode(&lines, &index, indent: lines[index].indent) : .scalar("")
                    )
                )
            } else if value.hasPrefix("|") || value.hasPrefix(">") {
                var block: [String] = []
                while index < lines.count, lines[index].indent > indent {
                    block.append(lines[index].text)
                    index += 1
                }
                members.append((key, .scalar(block.joined(separator: "\n"))))
            } else if value.hasPrefix("["), value.hasSuffix("]") {
                let inner = value.dropFirst().dropLast().split(separator: ",")
                members.append((key, .list(inner.map { .scalar(unquoted($0.trimmingCharacters(in: .whitespaces))) })))
            } else {
                members.append((key, .scalar(unquoted(value))))
            }
        }
        return .map(members)
    }

    private static func unquoted(_ text: String) -> String {
        for quote in ["\"", "'"] where text.count >= 2 && text.hasPrefix(quote) && text.hasSuffix(quote) {
            return String(text.dropFirst().dropLast())
        }
        return text
    }

    /// Drops a ` # comment` that stands outside quotes.
    private static func withoutComment(_ text: String) -> String {
        var quote: Character?
        var previous: Character = " "
        for (offset, character) in text.enumerated() {
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "#", previous == " " {
                return String(text.prefix(offset)).trimmingCharacters(in: .whitespaces)
            }
            previous = character
        }
        return text
    }
}
