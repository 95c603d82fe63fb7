/// A plain-text table in Markdown pipe syntax, padded so that it also reads well in a terminal.
struct TextTable {
    /// Column alignment; numbers read best right-aligned.
    enum Alignment {
        case left, right
    }

    var headers: [String]
    var alignments: [Alignment]
    var rows: [[String]] = []

    init(_ columns: [(String, Alignment)]) {
        headers = columns.map(\.0)
        alignments = columns.map(\.1)
    }

    mutating func add(_ row: [String]) {
        precondition(row.count == headers.count, "a row needs one cell per column")
        rows.append(row)
    }

    func render() -> String {
        let widths = headers.indices.map { column in
            max(3, ([headers] + rows).map { $0[column].count }.max() ?? 0)
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.indices.map { column -> String in
                let padding = String(repeating: " ", count: widths[column] - cells[column].count)
                return alignments[column] == .right ? padding + cells[column] : cells[column] + padding
            }
            return "| " + padded.joined(separator: " | ") + " |"
        }
        // Markdown's ":" in the rule keeps the alignment when the table is pasted into the README.
        let rule = widths.indices.map { column -> String in
            let dashes = String(repeating: "-", count: widths[column] - 1)
            return alignments[column] == .right ? dashes + ":" : ":" + dashes
        }
        let ruleLine = "|" + rule.map { " \($0) " }.joined(separator: "|") + "|"
        return ([line(headers), ruleLine] + rows.map(line)).joined(separator: "\n") + "\n"
    }
}
