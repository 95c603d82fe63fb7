import Foundation

/// Reads source IDs from one column of a CSV file, with or without a header row, and the copies
/// asked of each from an optional `copies` column.
public enum PoolListReader {
    /// Header names that mark the ID column of a pool list when no column is named, in order of preference.
    static let preferredColumns = ["pool_id", "id"]
    /// The header of the optional column giving each row's number of copies.
    static let copiesColumn = "copies"
    /// The most copies a row may ask for.
    public static let maximumCopies = 1000

    /// Reads `path`; `column` names the header of the ID column (trimmed, case-insensitive), and
    /// `target` what the IDs name (else the column tells: `training_id` is trainings, any other pools).
    public static func read(
        path: String,
        column: String? = nil,
        target: CloneTarget? = nil
    ) throws(PoolListError) -> PoolList {
        let reader: CSVReader
        do {
            reader = try CSVReader(path: path)
        } catch {
            throw .csv(error)
        }
        return try read(from: reader, path: path, column: column, target: target)
    }

    /// Reads CSV held in memory; `path` names it in messages.
    public static func read(
        data: Data,
        path: String,
        column: String? = nil,
        target: CloneTarget? = nil
    ) throws(PoolListError) -> PoolList {
        try read(from: CSVReader(data: data, path: path), path: path, column: column, target: target)
    }

    static func read(
        from reader: CSVReader,
        path: String,
        column: String?,
        target: CloneTarget? = nil
    ) throws(PoolListError) -> PoolList {
        guard let first = try nextNonBlank(reader) else { throw .empty(path: path) }
        let selection = try selectColumn(first: first, column: column, target: target, path: path)
        let noun = selection.target.name
        // Only a header names a copies column; the ID column is never read as one.
        let copiesIndex = first.fields.indices.first {
            selection.isHeader && $0 != selection.index && trimmed(first.fields[$0]).lowercased() == copiesColumn
        }

        var poolIDs: [String] = []
        var firstLines: [String: Int] = [:]
        var duplicates: [PoolDuplicate] = []
        var strippedZeros: [PoolIDRewrite] = []
        var rowErrors: [PoolRowError] = []
        var copies: [String: Int] = [:]

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
                            "the row has \(record.fields.count) \(fieldNoun), so column \(selection.index + 1)\(name) with the \(noun) id is missing"
                    )
                )
                return
            }
            let written = trimmed(record.fields[selection.index])
            let value = written
            let count = copiesIndex.flatMap { copiesCount(record, at: $0, path: path, errors: &rowErrors) }
            if value.isEmpty {
                rowErrors.append(
                    PoolRowError(path: path, line: record.line, value: value, reason: "the \(noun) id is empty")
                )
            } else if !isPoolID(value) {
                rowErrors.append(
                    PoolRowError(
                        path: path,
                        line: record.line,
                        value: value,
                        reason: "'\(value.quotedForMessage)' is not a \(noun) id (expected digits)"
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
                    if let count, count != 1 { copies[value] = count }
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
        return PoolList(
            poolIDs: poolIDs,
            duplicates: duplicates,
            column: selection.name,
            strippedZeros: strippedZeros,
            target: selection.target,
            copies: copies
        )
    }

    /// The row's `copies` cell: nil when empty or absent (one copy); a bad value is a row error.
    private static func copiesCount(
        _ record: CSVRecord,
        at index: Int,
        path: String,
        errors: inout [PoolRowError]
    ) -> Int? {
        guard index < record.fields.count else { return nil }
        let text = trimmed(record.fields[index])
        guard !text.isEmpty else { return nil }
        guard isPoolID(text), let count = Int(text), (1...maximumCopies).contains(count) else {
            errors.append(
                PoolRowError(
                    path: path,
                    line: record.line,
                    value: text,
                    reason:
                        "copies '\(text.quotedForMessage)' is not a whole number from 1 to \(maximumCopies)"
                )
            )
            return nil
        }
        return count
    }

    /// Decides whether the first record is a header, which column holds the IDs and what they name.
    ///
    /// One target per run: a header with both `pool_id` and `training_id` is refused unless
    /// `column` or `target` says which.
    static func selectColumn(
        first: CSVRecord,
        column: String?,
        target: CloneTarget? = nil,
        path: String
    ) throws(PoolListError) -> (index: Int, name: String?, isHeader: Bool, target: CloneTarget) {
        let header = first.fields.map(trimmed)
        let lowered = header.map { $0.lowercased() }
        if let column {
            let wanted = trimmed(column).lowercased()
            guard let index = lowered.firstIndex(of: wanted) else {
                throw .columnNotFound(name: column, header: header, path: path)
            }
            let named = CloneTarget.all.first { $0.parameterKey == wanted }
            return (index, header[index], true, target ?? named ?? .pool)
        }
        if let target {
            for name in [target.parameterKey, "id"] {
                if let index = lowered.firstIndex(of: name) { return (index, header[index], true, target) }
            }
            // Another target's column is not read as this one's IDs by default.
            if let other = CloneTarget.all.first(where: { $0 != target && lowered.contains($0.parameterKey) }) {
                throw .noColumnForTarget(target: target, otherColumn: other.parameterKey, path: path)
            }
        } else {
            let present = CloneTarget.all.compactMap { target in
                lowered.firstIndex(of: target.parameterKey).map { (index: $0, target: target) }
            }
            if present.count > 1 {
                throw .ambiguousTarget(columns: present.map { header[$0.index] }, path: path)
            }
            if let only = present.first { return (only.index, header[only.index], true, only.target) }
            for name in preferredColumns {
                if let index = lowered.firstIndex(of: name) {
                    return (index, header[index], true, .pool)
                }
            }
        }
        // A leading digit string means data; an empty first field is reported as a bad row
        // rather than silently swallowed as a header.
        if let firstField = header.first, !firstField.isEmpty, !isPoolID(firstField) {
            return (0, firstField, true, target ?? .pool)
        }
        return (0, nil, false, target ?? .pool)
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
