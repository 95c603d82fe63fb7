import Foundation

/// Each source's CSV row by column name, for `{row.COLUMN}` templates: read apart from the pool list,
/// so the list's reader stays as it is.
public enum CSVRowCells {
    /// The header (trimmed) and, for each source ID (canonical, first row wins), its cells by header name;
    /// nil header when `idColumn` (the header name of the ID column) is nil: a file without a header.
    public static func read(path: String, idColumn: String?) throws -> (
        header: [String], rows: [String: [String: String]]
    ) {
        guard let idColumn else { return ([], [:]) }
        let reader = try CSVReader(path: path)
        var header: [String]?
        var rows: [String: [String: String]] = [:]
        while let record = try reader.next() {
            let fields = record.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            if fields.allSatisfy(\.isEmpty) { continue }
            guard let names = header else {
                header = fields
                continue
            }
            guard let index = names.firstIndex(where: { $0.lowercased() == idColumn.lowercased() }),
                index < fields.count
            else { continue }
            let id = PoolID.canonical(fields[index])
            guard rows[id] == nil else { continue }
            var cells: [String: String] = [:]
            for (name, value) in zip(names, fields) where cells[name] == nil { cells[name] = value }
            rows[id] = cells
        }
        return (header ?? [], rows)
    }
}
