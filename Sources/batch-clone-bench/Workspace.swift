import Foundation

/// The temporary folder holding the generated CSVs and every run's fresh state, journal and output.
struct Workspace: Sendable {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "batch-clone-bench-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// A new empty subfolder, so that no run inherits another's ledger or journal.
    func folder(_ name: String) throws -> String {
        let folder = path + "/" + name
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Distinct numeric pool IDs, as the simulator accepts any all-digit ID.
    static func poolIDs(_ count: Int, from first: Int = 0) -> [String] {
        (first..<(first + count)).map { String(10_000_000 + $0) }
    }

    /// Writes a `pool_id` CSV; built as one buffer because the dry-run file has 100,000 rows.
    func writeCSV(_ name: String, pools: [String]) throws -> String {
        let file = path + "/" + name
        var text = "pool_id,comment\n"
        text.reserveCapacity(pools.count * 24)
        for (index, pool) in pools.enumerated() {
            text += pool + ",template \(index + 1)\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// Writes a `pool_id,copies` CSV, one row per source.
    func writeCopiesCSV(_ name: String, rows: [(pool: String, copies: Int)]) throws -> String {
        let file = path + "/" + name
        let text = "pool_id,copies\n" + rows.map { "\($0.pool),\($0.copies)\n" }.joined()
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
