import BatchCloneKit

/// The pools a run clones: the CSV read once, its rewritten and repeated IDs said as warnings.
enum RunInput {
    static func pools(_ options: RunOptions, reporter: ProgressReporter) throws -> PoolList {
        let list = try PoolListReader.read(path: options.csvPath, column: options.column)
        for rewrite in list.strippedZeros {
            reporter.handle(
                .warning(
                    "\(options.csvPath):\(rewrite.line): pool id \(rewrite.written) has leading zeros; it is pool \(rewrite.id)"
                )
            )
        }
        for duplicate in list.duplicates {
            reporter.handle(
                .warning(
                    "\(options.csvPath):\(duplicate.line): pool \(duplicate.id) repeats line \(duplicate.firstLine); it is cloned once"
                )
            )
        }
        return list
    }
}
