import Foundation

/// The results CSV: one row per work item of the batch,
/// `source_pool_id,new_pool_id,operation_id,status,error,target,copy,steps` (`steps`: those done
/// after the clone). The last columns came later: readers of the first five keep working.
///
/// No cell starts with a formula character: those get a leading `'` (see `escape`).
public enum ResultsFile {
    /// The CSV text for `items` (in that order) as the journal state has them.
    public static func render(items: [WorkItem], state: JournalState) -> String {
        var text = "source_pool_id,new_pool_id,operation_id,status,error,target,copy,steps\n"
        for item in items {
            let pool = item.source
            var row: [String]
            let record = state[item.journalKey]
            switch record?.phase ?? .pending {
            case .pending: row = [pool, "", "", "pending", ""]
            case .sending:
                row = [pool, "", "", "unconfirmed", "clone sent, answer not confirmed yet; re-run to reconcile"]
            case .submitted(let operation, _): row = [pool, "", operation, "running", ""]
            case .done(let newPool?, let operation): row = [pool, newPool, operation, "cloned", ""]
            case .done(nil, let operation):
                row = [pool, "", operation, "cloned", "the server did not name the new pool; see the operation"]
            case .failed(let reason, let operation): row = [pool, "", operation ?? "", "failed", reason]
            }
            if let failure = record?.stepFailure {
                row[3] = "step failed"
                row[4] = "\(failure.step): \(failure.reason)"
            }
            row += [item.target.name, String(item.copy), stepsCell(record?.stepsDone ?? [])]
            text += row.map(escape).joined(separator: ",") + "\n"
        }
        return text
    }

    /// The steps done after the clone, as `edited;opened`.
    static func stepsCell(_ done: [String]) -> String {
        var cell: [String] = []
        if done.contains(where: { $0.hasPrefix("set ") }) { cell.append("edited") }
        if done.contains(StepPlan.openKey) { cell.append("opened") }
        return cell.joined(separator: ";")
    }

    /// Writes the results atomically.
    public static func write(items: [WorkItem], state: JournalState, to path: String) throws {
        try DurableFile.createFolder(for: path)
        try DurableFile.write(Data(render(items: items, state: state).utf8), to: path, mode: 0o644)
    }

    /// One CSV cell. A cell that a spreadsheet would read as a formula (starting with `=`, `+`, `-`,
    /// `@`, tab or carriage return: OWASP's CSV injection list) gets a leading `'`, so a server-chosen
    /// pool ID like `=HYPERLINK(...)` stays text.
    static func escape(_ field: String) -> String {
        var field = field
        if let first = field.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            field = "'" + field
        }
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
