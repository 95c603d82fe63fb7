import BatchCloneKit
import Foundation

/// Writing the CI reports; failures become `StorageError`s naming the file.
enum ReportFiles {
    /// Replaces the file at `path` with `text`.
    static func write(_ text: String, to path: String) throws(StorageError) {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw .unwritable(path: path, reason: error.localizedDescription)
        }
    }

    /// Appends `text` to the file at `path`, creating it if needed (other steps write there too).
    static func append(_ text: String, to path: String) throws(StorageError) {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw .unwritable(path: path, reason: "cannot create the file")
            }
        }
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(text.utf8))
        } catch {
            throw .unwritable(path: path, reason: error.localizedDescription)
        }
    }
}
