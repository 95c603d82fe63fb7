import BatchCloneKit

/// The sources a run clones: the CSV read once, its rewritten and repeated IDs said as warnings.
enum RunInput {
    static func pools(_ options: RunOptions, reporter: ProgressReporter) throws -> PoolList {
        var list = try PoolListReader.read(path: options.csvPath, column: options.column, target: options.target)
        if let copies = options.copies { list.setCopies(copies) }
        let noun = list.target.name
        for rewrite in list.strippedZeros {
            reporter.handle(
                .warning(
                    "\(options.csvPath):\(rewrite.line): \(noun) id \(rewrite.written) has leading zeros; it is \(noun) \(rewrite.id)"
                )
            )
        }
        for duplicate in list.duplicates {
            let copies = list.copies(of: duplicate.id)
            let outcome =
                copies == 1 ? "it is cloned once" : "it is cloned \(copies) times, as line \(duplicate.firstLine) says"
            reporter.handle(
                .warning(
                    "\(options.csvPath):\(duplicate.line): \(noun) \(duplicate.id) repeats line \(duplicate.firstLine); \(outcome)"
                )
            )
        }
        return list
    }

    /// The steps after the clone, with each row's cells when a `--set` template reads them; a template
    /// naming a column the CSV lacks is a usage error, before anything is sent.
    static func steps(_ options: RunOptions, list: PoolList) throws -> StepPlan {
        var plan = StepPlan(sets: options.sets, open: options.open)
        let columns = plan.rowColumns
        guard !columns.isEmpty else { return plan }
        let (header, rows) = try CSVRowCells.read(path: options.csvPath, idColumn: list.column)
        if let missing = columns.first(where: { !header.contains($0) }) {
            let set = options.sets.first { $0.template.rowColumns.contains(missing) }
            let reason =
                header.isEmpty
                ? "{row.\(missing)} needs a CSV with a header row"
                : "{row.\(missing)}: the CSV has no column '\(missing)' (columns: \(header.joined(separator: ", ")))"
            throw CLIError.arguments(.invalidValue(option: "set", value: set?.text ?? missing, reason: reason))
        }
        plan.rows = rows
        return plan
    }
}
