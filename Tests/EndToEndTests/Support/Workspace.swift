import Foundation

/// A fresh temporary folder per test, with helpers to write CSVs and read results.
struct Workspace {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("batch-clone-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// Writes a CSV with a `pool_id` header and returns its path.
    @discardableResult
    func writePools(_ pools: [String], name: String = "pools.csv") throws -> String {
        let text = "pool_id\n" + pools.map { $0 + "\n" }.joined()
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    /// The rows of a results CSV as dictionaries keyed by its header.
    func results(_ name: String = "pools.results.csv") throws -> [[String: String]] {
        let text = try String(contentsOfFile: path(name), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) else {
            return []
        }
        return lines.dropFirst().map { line in
            // Our results never quote the id columns; the error column may hold commas, so split at most n-1 times.
            let fields = line.split(separator: ",", maxSplits: header.count - 1, omittingEmptySubsequences: false).map(
                String.init
            )
            return Dictionary(uniqueKeysWithValues: zip(header, fields))
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
