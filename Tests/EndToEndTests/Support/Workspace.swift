import BatchCloneKit
import Foundation

/// A fresh temporary folder per test, with helpers to write CSVs and read results.
struct Workspace {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("batch-clone-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// Writes a CSV of one ID column (`pool_id` unless told) and returns its path.
    @discardableResult
    func writePools(_ pools: [String], name: String = "pools.csv", column: String = "pool_id") throws -> String {
        let text = column + "\n" + pools.map { $0 + "\n" }.joined()
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    /// The rows of a results CSV as dictionaries keyed by its header (quoted cells read as RFC 4180 says).
    func results(_ name: String = "pools.results.csv") throws -> [[String: String]] {
        let records = try CSVReader(path: path(name)).readAll()
        guard let header = records.first?.fields else { return [] }
        return records.dropFirst().map { record in
            Dictionary(zip(header, record.fields), uniquingKeysWith: { first, _ in first })
        }
    }

    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }

    /// Pool IDs `first, first+1, ...`.
    static func poolIDs(_ count: Int, from first: Int = 5_000_001) -> [String] {
        (0..<count).map { String(first + $0) }
    }
}
