/// Why a pool list could not be read from a CSV file.
public enum PoolListError: Error, Equatable, CustomStringConvertible {
    case csv(CSVError)
    /// `--column name` was given but the first row has no such header.
    case columnNotFound(name: String, header: [String], path: String)
    /// Every malformed data row, in file order.
    case malformedRows([PoolRowError], path: String)
    /// The file holds no pool IDs at all.
    case empty(path: String)

    public var description: String {
        switch self {
        case .csv(let error):
            return error.description
        case .columnNotFound(let name, let header, let path):
            // A first row of bare IDs means the file simply has no header row.
            if !header.isEmpty, header.allSatisfy(PoolListReader.isPoolID) {
                return "\(path) has no header row (its first row is data), so it has no column '\(name)'; "
                    + "add a header row or leave out the column name to use the first column"
            }
            let columns = header.map { $0.isEmpty ? "(unnamed)" : $0 }.joined(separator: ", ")
            return "\(path) has no column '\(name)'; columns are: \(columns)"
        case .malformedRows(let rows, let path):
            let noun = rows.count == 1 ? "row" : "rows"
            let lines = rows.map { "  \($0.description)" }
            return (["\(path) has \(rows.count) malformed \(noun); fix or delete \(rows.count == 1 ? "it" : "them"):"] + lines)
                .joined(separator: "\n")
        case .empty(let path):
            return "\(path) contains no pool ids; put one pool id per row (digits only)"
        }
    }
}
