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
}
