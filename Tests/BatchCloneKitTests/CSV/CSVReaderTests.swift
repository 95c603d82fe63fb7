import Foundation
import Testing

@testable import BatchCloneKit

private func records(_ text: String, chunkSize: Int = .max) throws(CSVError) -> [CSVRecord] {
    try CSVReader(bytes: Array(text.utf8), path: "t.csv", chunkSize: chunkSize).readAll()
}

private func fields(_ text: String) throws -> [[String]] {
    try records(text).map(\.fields)
}

private func csvError(_ text: String) -> CSVError? {
    do {
        _ = try records(text)
        return nil
    } catch {
        return error
    }
}

@Suite struct CSVReaderTests {
    @Test func simpleRecords() throws {
        #expect(
            try records("a,b\n1,2\n") == [
                CSVRecord(line: 1, fields: ["a", "b"]),
                CSVRecord(line: 2, fields: ["1", "2"]),
            ]
        )
    }

    @Test func trailingNewlineIsOptional() throws {
        #expect(try fields("a,b\n1,2") == [["a", "b"], ["1", "2"]])
        #expect(try fields("x") == [["x"]])
    }

    @Test func emptyInputsHaveNoRecords() throws {
        #expect(try records("").isEmpty)
        #expect(try records("\n\n\r\n\r").isEmpty)
        #expect(try records("\u{FEFF}").isEmpty)
    }

    @Test func emptyFieldsAreKept() throws {
        #expect(try fields(",\na,,b,\n,x") == [["", ""], ["a", "", "b", ""], ["", "x"]])
        #expect(try fields("\"\"\n") == [[""]])
        #expect(try fields(" \n") == [[" "]])
    }

    @Test func quotedFields() throws {
        #expect(try fields("\"a,b\",\"say \"\"hi\"\"\",\"\"\"\"\n") == [["a,b", "say \"hi\"", "\""]])
    }

    @Test func quotedNewlinesKeepLineNumbersTrue() throws {
        let text = "id,note\n1,\"two\nlines\"\n2,\"three\r\nline\rends\"\n3,x\n"
        #expect(
            try records(text) == [
                CSVRecord(line: 1, fields: ["id", "note"]),
                CSVRecord(line: 2, fields: ["1", "two\nlines"]),
                CSVRecord(line: 4, fields: ["2", "three\r\nline\rends"]),
                CSVRecord(line: 7, fields: ["3", "x"]),
            ]
        )
    }

    @Test(arguments: ["\n", "\r\n", "\r"])
    func lineEndings(ending: String) throws {
        let text = ["a", "", "b,c", "", "", "d"].joined(separator: ending) + ending
        #expect(
            try records(text) == [
                CSVRecord(line: 1, fields: ["a"]),
                CSVRecord(line: 3, fields: ["b", "c"]),
                CSVRecord(line: 6, fields: ["d"]),
            ]
        )
    }

    @Test func mixedLineEndings() throws {
        #expect(try records("a\r\nb\rc\nd\n\re").map(\.line) == [1, 2, 3, 4, 6])
    }

    @Test func byteOrderMarkIsSkippedOnlyAtStart() throws {
        #expect(try fields("\u{FEFF}pool_id\n1\n") == [["pool_id"], ["1"]])
        #expect(try fields("a\n\u{FEFF}b\n") == [["a"], ["\u{FEFF}b"]])
    }

    @Test func spacesAroundQuotedFieldsAreTolerated() throws {
        #expect(try fields("a,  \"b,c\"  ,d\n") == [["a", "b,c", "d"]])
        #expect(try fields("\"x\" \n") == [["x"]])
    }

    @Test func quoteInsideUnquotedFieldIsLiteral() throws {
        #expect(try fields("ab\"c,d\"\n") == [["ab\"c", "d\""]])
    }

    @Test func unicodeIsDecoded() throws {
        #expect(try fields("名前,\"café, naïve\"\n") == [["名前", "café, naïve"]])
    }

    @Test func unterminatedQuoteReportsWhereItOpened() {
        #expect(csvError("a\nb,\"open\nstill open\n\nmore") == .unterminatedQuote(path: "t.csv", line: 2))
        #expect(csvError("\"") == .unterminatedQuote(path: "t.csv", line: 1))
    }

    @Test func textAfterClosingQuoteIsAnError() {
        #expect(csvError("1\n\"12\"3\n") == .unexpectedCharacterAfterQuote(path: "t.csv", line: 2, character: "3"))
        #expect(csvError("\"a\n\"é") == .unexpectedCharacterAfterQuote(path: "t.csv", line: 2, character: "é"))
    }

    @Test func invalidUTF8IsAnError() throws {
        let bytes: [UInt8] = Array("a\n1,".utf8) + [0xFF, 0xFE] + Array("\n".utf8)
        #expect(throws: CSVError.invalidUTF8(path: "t.csv", line: 2)) {
            try CSVReader(bytes: bytes, path: "t.csv", chunkSize: .max).readAll()
        }
    }

    @Test func everyChunkBoundaryGivesTheSameRecords() throws {
        let text = "\u{FEFF}id,\"no\"\"te\"\r\n\r\n1,\"a\r\nb\"\r2,  \"x\" ,é\n\n3,\"\",\r\n4"
        let expected = try records(text)
        #expect(expected.count == 5)
        for chunkSize in 1...text.utf8.count {
            #expect(try records(text, chunkSize: chunkSize) == expected, "chunk size \(chunkSize)")
        }
    }

    @Test func crlfSplitAcrossChunksIsOneLineEnd() throws {
        #expect(try records("a\r\nb\r\n", chunkSize: 2).map(\.line) == [1, 2])
    }

    @Test func recordsCanBeReadOneByOne() throws {
        let reader = CSVReader(string: "a\nb\n")
        #expect(try reader.next()?.fields == ["a"])
        #expect(try reader.next()?.fields == ["b"])
        #expect(try reader.next() == nil)
        #expect(try reader.next() == nil)
    }

    @Test func dataInitializer() throws {
        let reader = CSVReader(data: Data("x,y".utf8), path: nil)
        #expect(try reader.readAll() == [CSVRecord(line: 1, fields: ["x", "y"])])
    }

    @Test func errorsWithoutPathNameTheLine() {
        let reader = CSVReader(string: "\"abc")
        #expect(throws: CSVError.unterminatedQuote(path: nil, line: 1)) { try reader.readAll() }
        #expect(
            CSVError.unterminatedQuote(path: nil, line: 1).description.hasPrefix(
                "line 1: a quoted field is never closed"
            )
        )
    }

    @Test func errorMessages() {
        #expect(CSVError.fileNotFound(path: "p.csv").description == "p.csv: no such file; check the path")
        #expect(
            CSVError.unreadable(path: "p.csv", reason: "permission denied").description
                == "p.csv: cannot read the file: permission denied"
        )
        #expect(
            CSVError.unterminatedQuote(path: "pools.csv", line: 12).description
                == "pools.csv:12: a quoted field is never closed; add the closing '\"' (a quote inside a quoted field is written as '\"\"')"
        )
        #expect(
            CSVError.unexpectedCharacterAfterQuote(path: "p.csv", line: 3, character: "x").description
                == "p.csv:3: unexpected 'x' after a closing quote; quote the whole field and write a quote inside it as '\"\"'"
        )
        #expect(
            CSVError.invalidUTF8(path: "p.csv", line: 4).description
                == "p.csv:4: the text is not valid UTF-8; save the file as UTF-8"
        )
    }

    @Test func spacesBeforeQuoteSplitAcrossChunks() throws {
        let text = "a,    \"b,c\"\n"
        for chunkSize in 1...text.utf8.count {
            #expect(try records(text, chunkSize: chunkSize).map(\.fields) == [["a", "b,c"]], "chunk size \(chunkSize)")
        }
    }

    @Test func longUnquotedFieldsAcrossChunks() throws {
        let long = String(repeating: "x", count: 1_000)
        let text = "\(long),\(long)é\r\n\(long)\"q\(long)\n"
        for chunkSize in [1, 2, 3, 5, 64, 999, 1_000, 1_001, 2_003] {
            #expect(
                try records(text, chunkSize: chunkSize).map(\.fields)
                    == [[long, long + "é"], [long + "\"q" + long]],
                "chunk size \(chunkSize)"
            )
        }
    }

    @Test func invalidUTF8SplitAcrossChunks() {
        let bytes: [UInt8] = Array("abc".utf8) + [0xC3] + Array(",x\n".utf8)
        for chunkSize in [1, 2, 3, 4, 100] {
            #expect(throws: CSVError.invalidUTF8(path: nil, line: 1)) {
                try CSVReader(bytes: bytes, path: nil, chunkSize: chunkSize).readAll()
            }
        }
    }

    @Test func errorsAreSticky() throws {
        let reader = CSVReader(string: "1\n\"2\"x\n3\n")
        #expect(try reader.next()?.fields == ["1"])
        for _ in 0..<2 {
            #expect(throws: CSVError.unexpectedCharacterAfterQuote(path: nil, line: 2, character: "x")) {
                try reader.next()
            }
        }
    }
}
