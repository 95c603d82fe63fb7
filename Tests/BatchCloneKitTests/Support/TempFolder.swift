import Foundation

/// A fresh folder under the system temp folder, removed by `remove()`.
struct TempFolder {
    let path: String

    init() throws {
        path =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("batch-clone-unit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// Names of the files in the folder, sorted.
    func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// Runs `body` with a fresh folder and always removes it.
    static func with<T>(_ body: (TempFolder) throws -> T) throws -> T {
        let folder = try TempFolder()
        defer { folder.remove() }
        return try body(folder)
    }

    static func with<T>(_ body: (TempFolder) async throws -> T) async throws -> T {
        let folder = try TempFolder()
        defer { folder.remove() }
        return try await body(folder)
    }
}

func bytes(of path: String) -> Data? { FileManager.default.contents(atPath: path) }

func write(_ text: String, to path: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}
