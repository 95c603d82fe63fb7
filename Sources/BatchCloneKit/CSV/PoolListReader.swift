import Foundation

/// Reads pool IDs from one column of a CSV file, with or without a header row.
public enum PoolListReader {
    /// Header names that mark the pool ID column when no column is named, in order of preference.
    static let preferredColumns = ["pool_id", "id"]

    /// Reads `path`; `column` names the header of the pool ID column (trimmed, case-insensitive).
    public static func read(path: String, column: String? = nil) throws(PoolListError) -> PoolList {
        let reader: CSVReader
        do {
            reader = try CSVReader(path: path)
        } catch {
            throw .csv(error)
        }
        return try read(from: reader, path: path, column: column)
    }

    /// Reads CSV held in memory; `path` names it in messages.
    public static func read(data: Data, path: String, column: String? = nil) throws(PoolListError) -> PoolList {
        try read(from: CSVReader(data: data, path: path), path: path, column: column)
    }

    static func read(from reader: CSVReader, path: String, column: String?) throws(PoolListError) -> PoolList {
        guard let first = try nextNonBlank(reader) else { throw .empty(path: path) }
        let selection = try selectColumn(first: first, column: column, path: path)

        var poolIDs: [String] = []
        var firstLines: [String: Int] = [:]
        var duplicates: [PoolDuplicate] = []
        var strippedZeros: [PoolIDRewrite] = []
        var rowErrors: [PoolRowError] = []

        func add(_ record: CSVRecord) {
            guard selection.index < record.fields.count else {
                let fieldNoun = record.fields.count == 1 ? "field" : "fields"
                let name = selection.name.map { " ('\($0.quotedForMessage)')" } ?? ""
                rowErrors.append(
                    PoolRowError(
                        path: path,
                        line: record.line,
                        value: "",
                        reason:
                            "the row has \(record.fields.count) \(fieldNoun), so column \(selection.index + 1)\(name) with the pool id is missing"
                    )
                )
                return
            }
            let written = trimmed(record.fields[selection.index])
            let value = written
            if value.isEmpty {
                rowErrors.append(
                    PoolRowError(path: path, line: record.line, value: value, reason: "the pool id is empty")
                )
            } else if !isPoolID(value) {
                rowErrors.append(
                    PoolRowError(
                        path: path,
                        line: record.line,
                        value: value,
                        reason: "'\(value.quotedForMessage)' is not a pool id (expected digits)"
                    )
                )
            } else {
                // The API's pool IDs are numbers: `0123` is pool 123, and must match it everywhere.
                let value = PoolID.canonical(value)
                if value != written {
                    strippedZeros.append(PoolIDRewrite(written: written, id: value, line: record.line))
                }
                // One hash lookup that also inserts: records start on strictly increasing
                // lines, so a stored line different from this one means an earlier row.
                let firstLine = storedValue(&firstLines[value, default: record.line])
                if firstLine == record.line {
                    poolIDs.append(value)
                } else {
                    duplicates.append(PoolDuplicate(id: value, line: record.line, firstLine: firstLine))
                }
            }
        }

        if !selection.isHeader { add(first) }
        while let record = try nextNonBlank(reader) {
            add(record)
        }

        if !rowErrors.isEmpty { throw .malformedRows(rowErrors, path: path) }
        if poolIDs.isEmpty { throw .empty(path: path) }
        return PoolList(poolIDs: poolIDs, duplicates: duplicates, column: selection.name, strippedZeros: strippedZeros)
    }

    /// Decides whether the first record is a header and which column holds the pool IDs.
    static func selectColumn(
        first: CSVRecord,
        column: String?,
        path: String
    ) throws(PoolListError) -> (index: Int, name: String?, isHeader: Bool) {
        let header = first.fields.map(trimmed)
        let lowered = header.map { $0.lowercased() }
        if let column {
            let wanted = trimmed(column).lowercased()
            guard let index = lowered.firstIndex(of: wanted) else {
                throw .columnNotFound(name: column, header: header, path: path)
            }
            return (index, header[index], true)
        }
        for name in preferredColumns {
            if let index = lowered.firstIndex(of: name) {
                return (index, header[index], true)
            }
        }
        // A leading digit string means data; an empty first field is reported as a bad row
        // rather than silently swallowed as a header.
        if let firstField = header.first, !firstField.isEmpty, !isPoolID(firstField) {
            return (0, firstField, true)
        }
        return (0, nil, false)
    }

    private static func storedValue(_ value: inout Int) -> Int {
        value
    }

    /// Whether `text` is a non-empty string of ASCII digits.
    static func isPoolID(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    // Spreadsheets export empty rows as ",,,"; those are blank, like an empty line.
    private static func isBlank(_ record: CSVRecord) -> Bool {
        record.fields.allSatisfy { $0.utf8.allSatisfy(isASCIIWhitespace) }
    }

    private static func nextNonBlank(_ reader: CSVReader) throws(PoolListError) -> CSVRecord? {
        do {
            while let record = try reader.next() {
                if !isBlank(record) { return record }
            }
            return nil
        } catch {
            throw .csv(error)
        }
    }

    private static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last,
            isASCIIWhitespace(first) || isASCIIWhitespace(last)
        else { return text }
        guard let start = utf8.firstIndex(where: { !isASCIIWhitespace($0) }),
            let end = utf8.lastIndex(where: { !isASCIIWhitespace($0) })
        else { return "" }
        return String(text[start...end])
    }

    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }
}
