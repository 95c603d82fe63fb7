import Foundation
import Testing

@testable import BatchCloneKit

private func read(_ text: String, column: String? = nil) throws(PoolListError) -> PoolList {
    try PoolListReader.read(data: Data(text.utf8), path: "pools.csv", column: column)
}

private func readError(_ text: String, column: String? = nil) -> PoolListError? {
    do {
        _ = try read(text, column: column)
        return nil
    } catch {
        return error
    }
}

@Suite struct PoolListReaderTests {
    @Test func headerlessSingleColumn() throws {
        #expect(try read("10\n20\n30") == PoolList(poolIDs: ["10", "20", "30"], duplicates: [], column: nil))
    }

    @Test func headerlessUsesFirstColumn() throws {
        #expect(try read("10,foo\n20,bar\n") == PoolList(poolIDs: ["10", "20"], column: nil))
    }

    @Test func poolIDHeaderAnywhere() throws {
        let list = try read("name,pool_id,project\nA,101,7\nB,102,7\n")
        #expect(list == PoolList(poolIDs: ["101", "102"], column: "pool_id"))
    }

    @Test func idHeaderIsCaseInsensitiveAndTrimmed() throws {
        #expect(try read("name, ID \nA,5\n").column == "ID")
        #expect(try read("name, ID \nA,5\n").poolIDs == ["5"])
    }

    @Test func poolIDIsPreferredOverID() throws {
        #expect(try read("id,pool_id\n1,2\n") == PoolList(poolIDs: ["2"], column: "pool_id"))
    }

    @Test func otherHeaderUsesFirstColumn() throws {
        #expect(try read("Pool,Comment\n11,a\n12,b\n") == PoolList(poolIDs: ["11", "12"], column: "Pool"))
    }

    @Test func explicitColumn() throws {
        let text = "id,source pool\n1,500\n2,600\n"
        #expect(try read(text, column: "source pool") == PoolList(poolIDs: ["500", "600"], column: "source pool"))
        #expect(try read(text, column: "  SOURCE POOL ").poolIDs == ["500", "600"])
    }

    @Test func explicitColumnNotFound() {
        let error = readError("a, b\n1,2\n", column: "pool")
        #expect(error == .columnNotFound(name: "pool", header: ["a", "b"], path: "pools.csv"))
        #expect(error?.description == "pools.csv has no column 'pool'; columns are: a, b")
    }

    @Test func explicitColumnOnHeaderlessFileExplainsWhy() {
        let error = readError("1,2\n3,4\n", column: "pool")
        #expect(error == .columnNotFound(name: "pool", header: ["1", "2"], path: "pools.csv"))
        #expect(error?.description.hasPrefix("pools.csv has no header row (its first row is data)") == true)
    }

    @Test func valuesAreTrimmedAndLeadingZerosStripped() throws {
        #expect(try read("  007 \n\t42\t\n\" 5 \"\n").poolIDs == ["7", "42", "5"])
    }

    @Test func duplicatesAreRecordedNotRejected() throws {
        let list = try read("pool_id\n1\n2\n1\n\n1\n2\n")
        #expect(list.poolIDs == ["1", "2"])
        #expect(
            list.duplicates == [
                PoolDuplicate(id: "1", line: 4, firstLine: 2),
                PoolDuplicate(id: "1", line: 6, firstLine: 2),
                PoolDuplicate(id: "2", line: 7, firstLine: 3),
            ]
        )
    }

    @Test func blankLinesAndEmptyRowsAreSkipped() throws {
        let list = try read("\n\npool_id,x\n\n,\n  , \n1,a\r\n\r\n2,b\n,,,\n")
        #expect(list == PoolList(poolIDs: ["1", "2"], column: "pool_id"))
    }

    @Test func everyMalformedRowIsListed() {
        let text = "pool_id,name\n1,a\nabc,b\n,c\n2\n12 3,d\n\"4\n5\",e\n9\n١٢,f\n"
        guard case .malformedRows(let rows, let path) = readError(text) else {
            Issue.record("expected malformed rows")
            return
        }
        #expect(path == "pools.csv")
        #expect(rows.map(\.line) == [3, 4, 6, 7, 10])
        #expect(rows.map(\.value) == ["abc", "", "12 3", "4\n5", "١٢"])
        #expect(rows[0].description == "pools.csv:3: 'abc' is not a pool id (expected digits)")
        #expect(rows[1].description == "pools.csv:4: the pool id is empty")
    }

    @Test func shortRowIsMalformed() {
        guard case .malformedRows(let rows, _) = readError("name,pool_id\nA,1\nB\n") else {
            Issue.record("expected malformed rows")
            return
        }
        #expect(
            rows == [
                PoolRowError(
                    path: "pools.csv",
                    line: 3,
                    value: "",
                    reason: "the row has 1 field, so column 2 ('pool_id') with the pool id is missing"
                )
            ]
        )
    }

    @Test func emptyFirstFieldIsReportedNotTakenAsHeader() {
        guard case .malformedRows(let rows, _) = readError(",x\n1,y\n") else {
            Issue.record("expected malformed rows")
            return
        }
        #expect(rows.map(\.line) == [1])
    }

    @Test func malformedRowsDescriptionListsEveryRow() {
        let error = PoolListError.malformedRows(
            [
                PoolRowError(path: "p.csv", line: 2, value: "x", reason: "'x' is not a pool id (expected digits)"),
                PoolRowError(path: "p.csv", line: 5, value: "", reason: "the pool id is empty"),
            ],
            path: "p.csv"
        )
        #expect(
            error.description == """
                p.csv has 2 malformed rows; fix or delete them:
                  p.csv:2: 'x' is not a pool id (expected digits)
                  p.csv:5: the pool id is empty
                """
        )
    }

    @Test(arguments: ["", "\n\n", "pool_id\n", "pool_id\n\n,\n", "\u{FEFF}"])
    func noPoolIDsIsEmpty(text: String) {
        #expect(readError(text) == .empty(path: "pools.csv"))
    }

    @Test func emptyDescription() {
        #expect(
            PoolListError.empty(path: "p.csv").description
                == "p.csv contains no pool ids; put one pool id per row (digits only)"
        )
    }

    @Test func csvErrorsAreWrapped() {
        let error = readError("1\n\"2\n")
        #expect(error == .csv(.unterminatedQuote(path: "pools.csv", line: 2)))
        #expect(error?.description.hasPrefix("pools.csv:2: a quoted field is never closed") == true)
    }

    @Test func byteOrderMarkBeforeHeader() throws {
        #expect(try read("\u{FEFF}pool_id\r\n1\r\n") == PoolList(poolIDs: ["1"], column: "pool_id"))
    }

    @Test func readsFromPath() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pools-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var text = "pool_id\n"
        for index in 1...20_000 { text += "\(1_000_000 + index)\n" }
        text += "1000001\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let list = try PoolListReader.read(path: path)
        #expect(list.poolIDs.count == 20_000)
        #expect(list.poolIDs.first == "1000001")
        #expect(list.duplicates == [PoolDuplicate(id: "1000001", line: 20_002, firstLine: 2)])
    }

    @Test func missingPathIsWrappedCSVError() {
        #expect(throws: PoolListError.csv(.fileNotFound(path: "/nonexistent/pools.csv"))) {
            try PoolListReader.read(path: "/nonexistent/pools.csv")
        }
    }
}
