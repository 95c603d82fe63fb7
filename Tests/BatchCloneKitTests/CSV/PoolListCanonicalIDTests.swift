import Foundation
import Testing

@testable import BatchCloneKit

@Suite struct PoolListCanonicalIDTests {
    private func read(_ text: String) throws(PoolListError) -> PoolList {
        try PoolListReader.read(data: Data(text.utf8), path: "pools.csv")
    }

    @Test func leadingZerosAreStrippedAndNamedByLine() throws {
        let list = try read("pool_id\n0123\n45\n000\n")
        #expect(list.poolIDs == ["123", "45", "0"])
        #expect(
            list.strippedZeros == [
                PoolIDRewrite(written: "0123", id: "123", line: 2),
                PoolIDRewrite(written: "000", id: "0", line: 4),
            ]
        )
    }

    @Test func zeroPaddedAndPlainSpellingsAreOnePool() throws {
        let list = try read("pool_id\n0123\n7\n123\n00123\n")
        #expect(list.poolIDs == ["123", "7"])
        #expect(
            list.duplicates == [
                PoolDuplicate(id: "123", line: 4, firstLine: 2),
                PoolDuplicate(id: "123", line: 5, firstLine: 2),
            ]
        )
    }

    @Test func plainIDsNeedNoWarning() throws {
        #expect(try read("10\n20\n").strippedZeros.isEmpty)
    }

    @Test func nonNumericIDIsAMalformedRowWithItsLine() {
        #expect(throws: PoolListError.self) { try read("pool_id\n12\np1\n-5\n") }
        do {
            _ = try read("pool_id\n12\np1\n-5\n")
        } catch {
            guard case .malformedRows(let rows, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(rows.map(\.line) == [3, 4])
            #expect(rows.map(\.value) == ["p1", "-5"])
            #expect(error.description.contains("pools.csv:3: 'p1' is not a pool id"))
        }
    }
}
