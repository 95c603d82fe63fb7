/// Why a pool list could not be read from a CSV file.
public enum PoolListError: Error, Equatable, CustomStringConvertible {
    case csv(CSVError)
    /// `--column name` was given but the first row has no such header.
    case columnNotFound(name: String, header: [String], path: String)
    /// Every malformed data row, in file order.
    case malformedRows([PoolRowError], path: String)
    /// The header has an ID column of several targets (`pool_id` and `training_id`) and nothing says which.
    case ambiguousTarget(columns: [String], path: String)
    /// `--target` was given, the header has no column of its IDs but one of another target's.
    case noColumnForTarget(target: CloneTarget, otherColumn: String, path: String)
    /// The file holds no pool IDs at all.
    case empty(path: String)

    /// How many malformed rows a message lists.
    static let listedRows = 20

    public var description: String {
        switch self {
        case .csv(let error):
            return error.description
        case .columnNotFound(let name, let header, let path):
            // A first row of bare IDs means the file simply has no header row.
            if !header.isEmpty, header.allSatisfy(PoolListReader.isPoolID) {
                return
                    "\(path) has no header row (its first row is data), so it has no column '\(name.quotedForMessage)'; "
                    + "add a header row or leave out the column name to use the first column"
            }
            var columns = header.prefix(20).map { $0.isEmpty ? "(unnamed)" : $0.quotedForMessage }.joined(
                separator: ", "
            )
            if header.count > 20 { columns += " and \(header.count - 20) more" }
            return "\(path) has no column '\(name.quotedForMessage)'; columns are: \(columns)"
        case .malformedRows(let rows, let path):
            let noun = rows.count == 1 ? "row" : "rows"
            // A file of a million bad rows is named by its first ones, not echoed whole.
            var lines = rows.prefix(Self.listedRows).map { "  \($0.description)" }
            if rows.count > Self.listedRows { lines.append("  ... and \(rows.count - Self.listedRows) more") }
            return
                (["\(path) has \(rows.count) malformed \(noun); fix or delete \(rows.count == 1 ? "it" : "them"):"]
                + lines)
                .joined(separator: "\n")
        case .ambiguousTarget(let columns, let path):
            let names = columns.map { "'\($0.quotedForMessage)'" }.joined(separator: " and ")
            return "\(path) has both \(names) columns; say which to clone with --target "
                + CloneTarget.all.map(\.name).joined(separator: "|") + " or --column NAME"
        case .noColumnForTarget(let target, let other, let path):
            return
                "\(path) has a \(other) column but no \(target.parameterKey) or id column for --target \(target.name); "
                + "name the column with --column NAME"
        case .empty(let path):
            return "\(path) contains no pool ids; put one pool id per row (digits only)"
        }
    }
}
