import Foundation
import Testing

@testable import BatchCloneKit

/// A uniquely named temporary file, removed when the test ends.
private struct TemporaryFile: ~Copyable {
    let path: String

    init(contents: [UInt8]) throws {
        path =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("csv-test-\(UUID().uuidString).csv").path
        try Data(contents).write(to: URL(fileURLWithPath: path))
    }

    init(_ text: String) throws {
        try self.init(contents: Array(text.utf8))
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

private func sampleCSV(rows: Int) -> String {
    var text = "\u{FEFF}pool_id,comment\r\n"
    for index in 1...rows {
        text += "\(index),\"line \(index), with \"\"quotes\"\"\nand a newline\"\r\n"
    }
    return text
}

@Suite struct CSVReaderFileTests {
    @Test func readsAFileInChunks() throws {
        let text = sampleCSV(rows: 2_000)
        let file = try TemporaryFile(text)
        let expected = try CSVReader(string: text, path: file.path).readAll()
        #expect(expected.count == 2_001)
        #expect(expected.last == CSVRecord(line: 4_000, fields: ["2000", "line 2000, with \"quotes\"\nand a newline"]))
        for chunkSize in [64, 4_096, 65_536] {
            #expect(
                try CSVReader(path: file.path, chunkSize: chunkSize).readAll() == expected,
                "chunk size \(chunkSize)"
            )
        }
        #expect(try CSVReader(path: file.path).readAll() == expected)
    }

    @Test func readsAFileInTinyChunks() throws {
        // One read per byte is slow, so this uses a short file.
        let text = sampleCSV(rows: 10)
        let file = try TemporaryFile(text)
        let expected = try CSVReader(string: text, path: file.path).readAll()
        for chunkSize in [1, 2, 3, 7] {
            #expect(
                try CSVReader(path: file.path, chunkSize: chunkSize).readAll() == expected,
                "chunk size \(chunkSize)"
            )
        }
    }

    @Test func emptyFile() throws {
        let file = try TemporaryFile("")
        #expect(try CSVReader(path: file.path).readAll().isEmpty)
    }

    @Test func missingFile() {
        #expect(throws: CSVError.fileNotFound(path: "/nonexistent/dir/pools.csv")) {
            try CSVReader(path: "/nonexistent/dir/pools.csv")
        }
    }

    @Test func directoryIsUnreadable() {
        let directory = FileManager.default.temporaryDirectory.path
        #expect(throws: CSVError.unreadable(path: directory, reason: "it is a directory, not a CSV file")) {
            try CSVReader(path: directory)
        }
    }

    @Test func errorsInFilesNameThePath() throws {
        let file = try TemporaryFile("1\n2\n\"3\n")
        #expect(throws: CSVError.unterminatedQuote(path: file.path, line: 3)) {
            try CSVReader(path: file.path, chunkSize: 2).readAll()
        }
    }
}
